{#
  purpose: a query giving the exact two-sample Kolmogorov-Smirnov statistic per group
           (= scipy.stats.ks_2samp(current, reference).statistic): both empirical CDFs are
           evaluated after every distinct value, so ties are handled exactly.
  args: relation - a relation, parenthesised subquery or CTE name with one row per value (DuckDB
        reads it three times: pass a relation or subquery for large inputs, since DuckDB
        materialises a CTE read more than once); group_columns - list of columns, the last one
        naming the subject (DuckDB picks its path per value of that column);
        value_column - the numeric value; side_column - column holding 'current' or 'reference'
  example: ks as ({{ score_monitoring.two_sample_ks('(select * from drift_values_table)', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }})
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

{#- DuckDB: two paths, each exact, chosen per value of the last group column (the subject, e.g. the
    feature) from a HyperLogLog estimate of its distinct current values (their measured costs are in
    docs/benchmarks.md, "Exact KS on DuckDB").
    - Tied subjects (at most one distinct value per 8 values: integers, rounded amounts): a hash
      aggregate to (value, current count, reference count), then the portable cumulative window
      sums (default__two_sample_ks) over those few rows per group.
    - Spread subjects (nearly every value distinct, like the score): one unsorted list per group,
      put in order by list_grade_up on the bare doubles; list_where gives each side's merged
      positions in order, so the k-th current value at merged position j has k current and j - k
      reference values at or below it (no regrouping, no second sort). The CDFs are compared at
      the last position of every run of tied values.
    Routing scans the current side once, per subject (per group would need a semi join over every
    value); a wrong route only costs time. The input is read three times, so pass a relation or a
    parenthesised subquery (DuckDB materialises a CTE read more than once). -#}
{% macro duckdb__two_sample_ks(relation, group_columns, value_column, side_column) %}
    {%- set groups = group_columns | join(', ') -%}
    {%- set route_column = group_columns[-1] -%}
    with subject_sizes as (
        select
            {{ groups }},
            approx_count_distinct({{ value_column }}) as distinct_estimate,
            count(*) as value_count
        from {{ relation }}
        where {{ value_column }} is not null and {{ side_column }} = 'current'
        group by {{ groups }}
    ),

    tied_subjects as (
        select {{ route_column }}
        from subject_sizes
        where {{ route_column }} is not null
        group by {{ route_column }}
        having sum(distinct_estimate) * 8 <= sum(value_count)
    ),

    tied_values as (
        select *
        from {{ relation }}
        where {{ route_column }} in (select tied_subjects.{{ route_column }} from tied_subjects)
    ),

    spread_values as (
        select *
        from {{ relation }}
        where {{ route_column }} is null or {{ route_column }} not in (select tied_subjects.{{ route_column }} from tied_subjects)
    ),

    tied_ks as (
        {{ score_monitoring.default__two_sample_ks('tied_values', group_columns, value_column, side_column) | indent(4) }}
    ),

    spread_lists as (
        select
            {{ groups }},
            list(struct_pack(ks_value := {{ value_column }}, is_current := {{ side_column }} = 'current')) as side_values,
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} as current_total,
            {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} as reference_total
        from spread_values
        where {{ value_column }} is not null and {{ side_column }} in ('current', 'reference')
        group by {{ groups }}
    ),

    merged_lists as (
        select
            {{ groups }},
            current_total,
            reference_total,
            list_select(side_values, list_grade_up(list_transform(side_values, lambda side_value: side_value.ks_value))) as merged_values
        from spread_lists
        where current_total > 0 and reference_total > 0
    ),

    side_positions as (
        select
            {{ groups }},
            current_total,
            reference_total,
            merged_values,
            list_where(range(1, len(merged_values) + 1), list_transform(merged_values, lambda merged_value: merged_value.is_current)) as current_positions,
            list_where(range(1, len(merged_values) + 1), list_transform(merged_values, lambda merged_value: not merged_value.is_current)) as reference_positions
        from merged_lists
    ),

    spread_ks as (
        select
            {{ groups }},
            greatest(
                list_max(list_transform(
                    current_positions,
                    lambda merged_position, current_rank: case
                        when merged_position = len(merged_values) or merged_values[merged_position + 1].ks_value <> merged_values[merged_position].ks_value
                            then abs(current_rank / current_total - (merged_position - current_rank) / reference_total)
                    end
                )),
                list_max(list_transform(
                    reference_positions,
                    lambda merged_position, reference_rank: case
                        when merged_position = len(merged_values) or merged_values[merged_position + 1].ks_value <> merged_values[merged_position].ks_value
                            then abs((merged_position - reference_rank) / current_total - reference_rank / reference_total)
                    end
                ))
            ) as ks_statistic
        from side_positions
    )

    select * from tied_ks
    union all
    select * from spread_ks
{%- endmacro %}
