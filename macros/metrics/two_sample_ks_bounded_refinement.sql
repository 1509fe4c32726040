{#
  purpose: two_sample_ks's portable path, the same query: bounded refinement over an equal-width
           grid (see the yml docs), with no sort or window over all values of a group.
  args: relation - a relation or parenthesised subquery with one row per value (read three
        times; a CTE read more than once is materialised by DuckDB, so pass a relation or
        subquery for large inputs); group_columns - non-empty list of columns; value_column -
        the numeric value (NULLs ignored); side_column - column holding 'current' or
        'reference'; grid_cells - number of grid cells per group (default 65536)
  example: ks as ({{ score_monitoring.two_sample_ks_bounded_refinement('(select * from drift_values_table)', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }})
#}
{% macro two_sample_ks_bounded_refinement(relation, group_columns, value_column, side_column, grid_cells=65536) %}
    {%- do score_monitoring.validate_grid_arguments('two_sample_ks_bounded_refinement', group_columns, grid_cells=grid_cells) -%}
    {%- set double = score_monitoring.type_double() -%}
    {%- set groups = group_columns | join(', ') -%}
    {%- set join_groups -%}
        {%- for column in group_columns %}{{ ' and ' if not loop.first }}ks_input.{{ column }} = ks_ranges.{{ column }}{% endfor -%}
    {%- endset -%}
    {#- Inlined twice as a subquery, not a CTE, which DuckDB would store. -#}
    {%- set indexed_values -%}
        select
            {%- for column in group_columns %}
            ks_ranges.{{ column }},
            {%- endfor %}
            {{ score_monitoring.grid_cell_index('ks_input.' ~ value_column, 'ks_ranges.value_min', 'ks_ranges.value_max', grid_cells) }} as cell_index,
            ks_input.{{ value_column }} as ks_value,
            ks_input.{{ side_column }} as ks_side
        from {{ relation }} as ks_input
        inner join ks_ranges
            on {{ join_groups }}
        where ks_input.{{ value_column }} is not null
    {%- endset -%}
    with ks_ranges as (
        select
            {{ groups }},
            min({{ value_column }}) as value_min,
            max({{ value_column }}) as value_max,
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} as current_total,
            {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} as reference_total
        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ groups }}
        having
            {{ score_monitoring.count_where(side_column ~ " = 'current'") }} > 0
            and {{ score_monitoring.count_where(side_column ~ " = 'reference'") }} > 0
    ),

    ks_cells as (
        select
            {{ groups }},
            cell_index,
            {{ score_monitoring.count_where("ks_side = 'current'") }} as current_count,
            {{ score_monitoring.count_where("ks_side = 'reference'") }} as reference_count,
            min(ks_value) < max(ks_value) as has_distinct_values
        from ({{ indexed_values }}) as ks_indexed
        group by {{ groups }}, cell_index
    ),

    ks_cell_cumulative as (
        select
            {{ groups }},
            cell_index,
            current_count,
            reference_count,
            has_distinct_values,
            sum(current_count) over (partition by {{ groups }} order by cell_index rows between unbounded preceding and current row) as current_through,
            sum(reference_count) over (partition by {{ groups }} order by cell_index rows between unbounded preceding and current row) as reference_through
        from ks_cells
    ),

    {#- Differences in units of 1 / (n m), integers, so every comparison is exact: at a cell's right
        end the gap is the one after its last value; inside, it lies between its two extremes (all of
        the cell's current values counted and none of its reference values, and the reverse). -#}
    ks_cell_bounds as (
        select
            {%- for column in group_columns %}
            ks_cell_cumulative.{{ column }},
            {%- endfor %}
            ks_cell_cumulative.cell_index,
            ks_cell_cumulative.has_distinct_values,
            ks_cell_cumulative.current_through - ks_cell_cumulative.current_count as current_before,
            ks_cell_cumulative.reference_through - ks_cell_cumulative.reference_count as reference_before,
            ks_ranges.current_total,
            ks_ranges.reference_total,
            abs(
                ks_cell_cumulative.current_through * ks_ranges.reference_total
                - ks_cell_cumulative.reference_through * ks_ranges.current_total
            ) as edge_gap,
            greatest(
                abs(
                    ks_cell_cumulative.current_through * ks_ranges.reference_total
                    - (ks_cell_cumulative.reference_through - ks_cell_cumulative.reference_count) * ks_ranges.current_total
                ),
                abs(
                    (ks_cell_cumulative.current_through - ks_cell_cumulative.current_count) * ks_ranges.reference_total
                    - ks_cell_cumulative.reference_through * ks_ranges.current_total
                )
            ) as inside_bound
        from ks_cell_cumulative
        inner join ks_ranges
            on {% for column in group_columns %}{{ ' and ' if not loop.first }}ks_cell_cumulative.{{ column }} = ks_ranges.{{ column }}{% endfor %}
    ),

    ks_lower_bounds as (
        select
            {{ groups }},
            current_total,
            reference_total,
            max(edge_gap) as lower_bound
        from ks_cell_bounds
        group by {{ groups }}, current_total, reference_total
    ),

    {#- Only a cell whose bound beats the best exact edge can hold the maximum; a cell of one
        distinct value has its edge as its only point. -#}
    ks_candidate_cells as (
        select
            {%- for column in group_columns %}
            ks_cell_bounds.{{ column }},
            {%- endfor %}
            ks_cell_bounds.cell_index,
            ks_cell_bounds.current_before,
            ks_cell_bounds.reference_before,
            ks_cell_bounds.current_total,
            ks_cell_bounds.reference_total
        from ks_cell_bounds
        inner join ks_lower_bounds
            on {% for column in group_columns %}{{ ' and ' if not loop.first }}ks_cell_bounds.{{ column }} = ks_lower_bounds.{{ column }}{% endfor %}
        where
            ks_cell_bounds.has_distinct_values
            and ks_cell_bounds.inside_bound > ks_lower_bounds.lower_bound
    ),

    ks_candidate_values as (
        select
            {%- for column in group_columns %}
            ks_indexed.{{ column }},
            {%- endfor %}
            ks_indexed.cell_index,
            ks_indexed.ks_value,
            {{ score_monitoring.count_where("ks_indexed.ks_side = 'current'") }} as current_count,
            {{ score_monitoring.count_where("ks_indexed.ks_side = 'reference'") }} as reference_count
        from ({{ indexed_values }}) as ks_indexed
        inner join ks_candidate_cells
            on
                {%- for column in group_columns %}
                ks_indexed.{{ column }} = ks_candidate_cells.{{ column }} and
                {%- endfor %}
                ks_indexed.cell_index = ks_candidate_cells.cell_index
        group by {% for column in group_columns %}ks_indexed.{{ column }}, {% endfor %}ks_indexed.cell_index, ks_indexed.ks_value
    ),

    ks_inside_cells as (
        select
            {%- for column in group_columns %}
            ks_candidate_values.{{ column }},
            {%- endfor %}
            ks_candidate_cells.current_before
            + sum(ks_candidate_values.current_count) over (
                partition by {% for column in group_columns %}ks_candidate_values.{{ column }}, {% endfor %}ks_candidate_values.cell_index
                order by ks_candidate_values.ks_value rows between unbounded preceding and current row
            ) as current_through,
            ks_candidate_cells.reference_before
            + sum(ks_candidate_values.reference_count) over (
                partition by {% for column in group_columns %}ks_candidate_values.{{ column }}, {% endfor %}ks_candidate_values.cell_index
                order by ks_candidate_values.ks_value rows between unbounded preceding and current row
            ) as reference_through,
            ks_candidate_cells.current_total,
            ks_candidate_cells.reference_total
        from ks_candidate_values
        inner join ks_candidate_cells
            on
                {%- for column in group_columns %}
                ks_candidate_values.{{ column }} = ks_candidate_cells.{{ column }} and
                {%- endfor %}
                ks_candidate_values.cell_index = ks_candidate_cells.cell_index
    ),

    ks_inside_maxima as (
        select
            {{ groups }},
            max(abs(current_through * reference_total - reference_through * current_total)) as inside_maximum
        from ks_inside_cells
        group by {{ groups }}
    )

    {#- One rounding: the exact rational max gap / (n m) to the nearest double. -#}
    select
        {%- for column in group_columns %}
        ks_lower_bounds.{{ column }},
        {%- endfor %}
        cast(greatest(ks_lower_bounds.lower_bound, coalesce(ks_inside_maxima.inside_maximum, 0)) as {{ double }})
        / cast(ks_lower_bounds.current_total * ks_lower_bounds.reference_total as {{ double }}) as ks_statistic
    from ks_lower_bounds
    left join ks_inside_maxima
        on {% for column in group_columns %}{{ ' and ' if not loop.first }}ks_lower_bounds.{{ column }} = ks_inside_maxima.{{ column }}{% endfor %}
{%- endmacro %}
