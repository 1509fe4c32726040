{#
  purpose: a query giving the exact two-sample Kolmogorov-Smirnov statistic per group
           (= scipy.stats.ks_2samp(current, reference).statistic), ties handled exactly. Routes
           to an exact path: two_sample_ks_bounded_refinement everywhere (BigQuery); on DuckDB,
           per value of the last group column (the subject), two_sample_ks_window_sums or
           two_sample_ks_sorted_lists, which are faster there on one machine.
  args: relation - a relation, parenthesised subquery or CTE name with one row per value (DuckDB
        reads it three times: pass a relation or subquery for large inputs, since DuckDB
        materialises a CTE read more than once); group_columns - non-empty list of columns, the
        last one naming the subject; value_column - the numeric value; side_column - column
        holding 'current' or 'reference'
  example: ks as ({{ score_monitoring.two_sample_ks('(select * from drift_values_table)', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }})
#}
{% macro two_sample_ks(relation, group_columns, value_column, side_column) %}
    {%- do score_monitoring.validate_grid_arguments('two_sample_ks', group_columns) -%}
    {{- return(adapter.dispatch('two_sample_ks', 'score_monitoring')(relation, group_columns, value_column, side_column)) -}}
{% endmacro %}

{% macro default__two_sample_ks(relation, group_columns, value_column, side_column) %}
    {{- score_monitoring.two_sample_ks_bounded_refinement(relation, group_columns, value_column, side_column) -}}
{% endmacro %}

{#- DuckDB: window sums are slow over a subject with millions of distinct values (the score),
    while a heavily tied subject (integer features, rounded amounts) collapses to a few distinct
    values, cheaper than sorting every value. So each subject takes one path, judged from a
    HyperLogLog estimate of its distinct current values: at most one per 8 values is tied
    (window sums), the rest spread (sorted lists); the measured costs are in docs/benchmarks.md,
    "Exact KS on DuckDB". Routing scans the current side once, per subject (per group would need
    a semi join over every value); both paths are exact, so a wrong route only costs time. -#}
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
        {{ score_monitoring.two_sample_ks_window_sums('tied_values', group_columns, value_column, side_column) | indent(4) }}
    ),

    spread_ks as (
        {{ score_monitoring.two_sample_ks_sorted_lists('spread_values', group_columns, value_column, side_column) | indent(4) }}
    )

    select * from tied_ks
    union all
    select * from spread_ks
{%- endmacro %}
