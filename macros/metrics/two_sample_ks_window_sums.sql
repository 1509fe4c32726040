{#
  purpose: a query giving the exact two-sample Kolmogorov-Smirnov statistic per group, portable:
           the values are hash-aggregated to (value, current count, reference count) and both
           empirical CDFs are cumulative window sums over those distinct values, compared after
           each one, as exact integer gaps rounded once. Cheap when values are heavily tied; BigQuery runs the windows in parallel
           per partition.
  args: relation - a relation, parenthesised subquery or CTE name with one row per value;
        group_columns - non-empty list of columns; value_column - the numeric value;
        side_column - column holding 'current' or 'reference'
  example: ks as ({{ score_monitoring.two_sample_ks_window_sums('drift_values', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }})
#}
{% macro two_sample_ks_window_sums(relation, group_columns, value_column, side_column) %}
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
        cast(max(abs(current_cumulative * reference_total - reference_cumulative * current_total)) as {{ score_monitoring.type_double() }})
        / (max(current_total) * max(reference_total)) as ks_statistic
    from cumulative_counts
    where current_total > 0 and reference_total > 0
    group by {{ groups }}
{%- endmacro %}
