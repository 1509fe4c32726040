{#
  purpose: a query giving the exact two-sample Kolmogorov-Smirnov statistic per group
           (= scipy.stats.ks_2samp(current, reference).statistic): both empirical CDFs are
           evaluated after every distinct value, so ties are handled exactly.
  args: relation - a relation or CTE name with one row per value; group_columns - list of columns;
        value_column - the numeric value; side_column - column holding 'current' or 'reference'
  example: ks as ({{ score_monitoring.two_sample_ks('drift_values', ['score_date', 'model_name'], 'numeric_value', 'side') }})
#}
{% macro two_sample_ks(relation, group_columns, value_column, side_column) %}
    {%- if group_columns is string or group_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: two_sample_ks() needs group_columns as a non-empty list, got '" ~ group_columns ~ "'") }}
    {%- endif -%}
    {{- return(adapter.dispatch('two_sample_ks', 'score_monitoring')(relation, group_columns, value_column, side_column)) -}}
{% endmacro %}

{# Portable: cumulative window sums over the distinct values (BigQuery runs these in parallel per partition). #}
{% macro default__two_sample_ks(relation, group_columns, value_column, side_column) %}
    {%- set groups = group_columns | join(', ') -%}
    with value_counts as (
        select
            {{ groups }},
            {{ value_column }} as ks_value,
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} as current_count,
            {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} as reference_count
        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ groups }}, {{ value_column }}
    ),

    cumulative_counts as (
        select
            {{ groups }},
            sum(current_count) over (partition by {{ groups }} order by ks_value rows between unbounded preceding and current row) as current_cumulative,
            sum(reference_count) over (partition by {{ groups }} order by ks_value rows between unbounded preceding and current row) as reference_cumulative,
            sum(current_count) over (partition by {{ groups }}) as current_total,
            sum(reference_count) over (partition by {{ groups }}) as reference_total
        from value_counts
    )

    select
        {{ groups }},
        max(abs(
            cast(current_cumulative as {{ score_monitoring.type_double() }}) / current_total
            - cast(reference_cumulative as {{ score_monitoring.type_double() }}) / reference_total
        )) as ks_statistic
    from cumulative_counts
    where current_total > 0 and reference_total > 0
    group by {{ groups }}
{%- endmacro %}

{#- DuckDB sorts a list per group far faster than it runs a partitioned window (4 s against 16 s on
    18M values): ranks come from list positions instead of cumulative window sums. Each value's
    merged position j and its rank k within its own side give both cumulative counts; the CDFs are
    compared at the last position of every run of tied values. -#}
{% macro duckdb__two_sample_ks(relation, group_columns, value_column, side_column) %}
    {%- set groups = group_columns | join(', ') -%}
    with grouped_values as (
        select
            {{ groups }},
            list(struct_pack(ks_value := {{ value_column }}, is_current := {{ side_column }} = 'current') order by {{ value_column }}) as merged_values,
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} as current_total,
            {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} as reference_total
        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ groups }}
    ),

    merged_positions as (
        select
            {{ groups }},
            current_total,
            reference_total,
            unnest(list_transform(
                merged_values,
                lambda merged_value, merged_position: struct_pack(
                    is_current := merged_value.is_current,
                    merged_position := merged_position,
                    is_tie_end := merged_position = len(merged_values)
                        or merged_values[merged_position + 1].ks_value <> merged_value.ks_value
                )
            )) as position
        from grouped_values
        where current_total > 0 and reference_total > 0
    ),

    side_positions as (
        select
            {{ groups }},
            current_total,
            reference_total,
            position.is_current as is_current,
            list(struct_pack(merged_position := position.merged_position, is_tie_end := position.is_tie_end) order by position.merged_position) as side_values
        from merged_positions
        group by {{ groups }}, current_total, reference_total, position.is_current
    ),

    side_ranks as (
        select
            {{ groups }},
            current_total,
            reference_total,
            is_current,
            unnest(list_transform(
                side_values,
                lambda side_value, side_rank: struct_pack(
                    merged_position := side_value.merged_position,
                    side_rank := side_rank,
                    is_tie_end := side_value.is_tie_end
                )
            )) as ranked
        from side_positions
    ),

    tie_ends as (
        select
            {{ groups }},
            current_total,
            reference_total,
            ranked.merged_position as merged_position,
            case when is_current then ranked.side_rank else ranked.merged_position - ranked.side_rank end as current_cumulative
        from side_ranks
        where ranked.is_tie_end
    )

    select
        {{ groups }},
        max(abs(
            current_cumulative / current_total
            - (merged_position - current_cumulative) / reference_total
        )) as ks_statistic
    from tie_ends
    group by {{ groups }}
{%- endmacro %}
