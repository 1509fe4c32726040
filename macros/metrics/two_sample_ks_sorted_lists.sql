{#
  purpose: a query giving the exact two-sample Kolmogorov-Smirnov statistic per group on DuckDB
           (list functions), fast when nearly every value is distinct: one unsorted list per
           group, put in order by list_grade_up on the bare doubles; list_where gives each side's
           merged positions in order, so the k-th current value at merged position j has k current
           and j - k reference values at or below it (no regrouping, no second sort). The CDFs
           are compared at the last position of every run of tied values, as exact integer gaps.
  args: relation - a relation, parenthesised subquery or CTE name with one row per value;
        group_columns - non-empty list of columns; value_column - the numeric value;
        side_column - column holding 'current' or 'reference'
  example: ks as ({{ score_monitoring.two_sample_ks_sorted_lists('drift_values', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }})
#}
{% macro two_sample_ks_sorted_lists(relation, group_columns, value_column, side_column) %}
    {%- set groups = group_columns | join(', ') -%}
    with side_lists as (
        select
            {{ groups }},
            list(struct_pack(ks_value := {{ value_column }}, is_current := {{ side_column }} = 'current')) as side_values,
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} as current_total,
            {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} as reference_total
        from {{ relation }}
        where {{ value_column }} is not null and {{ side_column }} in ('current', 'reference')
        group by {{ groups }}
    ),

    merged_lists as (
        select
            {{ groups }},
            current_total,
            reference_total,
            list_select(side_values, list_grade_up(list_transform(side_values, lambda side_value: side_value.ks_value))) as merged_values
        from side_lists
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
    )

    {#- Gaps in units of 1 / (n m), exact integers, rounded once at the end. -#}
    select
        {{ groups }},
        cast(greatest(
            list_max(list_transform(
                current_positions,
                lambda merged_position, current_rank: case
                    when merged_position = len(merged_values) or merged_values[merged_position + 1].ks_value <> merged_values[merged_position].ks_value
                        then abs(current_rank * reference_total - (merged_position - current_rank) * current_total)
                end
            )),
            list_max(list_transform(
                reference_positions,
                lambda merged_position, reference_rank: case
                    when merged_position = len(merged_values) or merged_values[merged_position + 1].ks_value <> merged_values[merged_position].ks_value
                        then abs((merged_position - reference_rank) * reference_total - reference_rank * current_total)
                end
            ))
        ) as {{ score_monitoring.type_double() }}) / (current_total * reference_total) as ks_statistic
    from side_positions
{%- endmacro %}
