{#
  purpose: a query of what breaks the reference profile format, one row per (model_name,
           feature_name, problem), empty when the profile is valid: bins numbered 0, 1, ... without
           gaps or repeats (plus the optional missing-values bin -1); counts >= 0; numeric
           subjects with at most 10 bins, bin 0's lower_edge (the reference minimum) and the last
           bin's upper_edge (the maximum) set, inner edges (the lower edges of bins 1, 2, ...)
           that increase, each bin's upper edge equal to the next bin's lower edge, and the
           minimum and maximum outside the inner edges or on them (bins 0 and last may be empty, as
           with tied deciles); categorical subjects with one distinct
           category_value per bin.
  args: profile_bins - a SELECT (or relation) of profile rows with model_name, feature_name,
        feature_type, bin_index, lower_edge, upper_edge, category_value, reference_count
  example: {% set problems = run_query(score_monitoring.reference_profile_problems(profile_bins)) %}
#}
{% macro reference_profile_problems(profile_bins) %}
    {%- set string_type = dbt.type_string() -%}
    with profile_bins as (
        {{ profile_bins }}
    ),

    ordered_bins as (
        select
            *,
            lag(lower_edge) over (partition by model_name, feature_name order by bin_index) as previous_lower_edge,
            lag(upper_edge) over (partition by model_name, feature_name order by bin_index) as previous_upper_edge,
            max(bin_index) over (partition by model_name, feature_name) as last_bin_index
        from profile_bins
        where bin_index >= 0
    ),

    subjects as (
        select
            model_name,
            feature_name,
            feature_type,
            count(*) as bin_count,
            count(distinct bin_index) as distinct_bin_count,
            min(bin_index) as first_bin_index,
            max(bin_index) as last_bin_index,
            count(distinct category_value) as category_count,
            {{ score_monitoring.count_where('reference_count is null or reference_count < 0') }} as bad_count_rows,
            {{ score_monitoring.count_where('bin_index = 0 and lower_edge is null') }} as missing_minimum,
            {{ score_monitoring.count_where('bin_index = last_bin_index and upper_edge is null') }} as missing_maximum,
            {{ score_monitoring.count_where(
                'bin_index > 0 and (lower_edge is null or previous_lower_edge is null or lower_edge < previous_lower_edge'
                ~ ' or (bin_index > 1 and lower_edge = previous_lower_edge) or previous_upper_edge is null or previous_upper_edge <> lower_edge)'
                ~ ' or (bin_index = last_bin_index and upper_edge < lower_edge)'
            ) }} as bad_edges
        from ordered_bins
        group by model_name, feature_name, feature_type
    ),

    problems as (
        select model_name, feature_name, cast('bin_index must run 0, 1, 2, ... without gaps or repeats' as {{ string_type }}) as problem
        from subjects
        where bin_count <> distinct_bin_count or first_bin_index <> 0 or last_bin_index <> bin_count - 1
        union all
        select model_name, feature_name, cast('reference_count must be a count (not NULL, not negative)' as {{ string_type }}) as problem
        from subjects
        where bad_count_rows > 0
        union all
        select model_name, feature_name, cast('a numeric subject has at most 10 bins' as {{ string_type }}) as problem
        from subjects
        where feature_type = 'numeric' and bin_count > 10
        union all
        select model_name, feature_name, cast('bin 0 needs lower_edge (the reference minimum) and the last bin upper_edge (the maximum)' as {{ string_type }}) as problem
        from subjects
        where feature_type = 'numeric' and (missing_minimum > 0 or missing_maximum > 0)
        union all
        select model_name, feature_name, cast('edges must increase, each bin starting at the upper_edge of the bin before' as {{ string_type }}) as problem
        from subjects
        where feature_type = 'numeric' and bad_edges > 0
        union all
        select model_name, feature_name, cast('each bin of a categorical subject needs its own category_value' as {{ string_type }}) as problem
        from subjects
        where feature_type = 'categorical' and category_count <> bin_count
    )

    select model_name, feature_name, problem
    from problems
    order by model_name, feature_name, problem
{%- endmacro %}
