{#
  purpose: a query with exact quantiles per group by refinement on a grid, with no sort, array or
           window over all values of a group: numpy.quantile's linear interpolation (see the yml docs).
  args: relation - a relation or parenthesised subquery (read three times); group_columns -
        non-empty list of columns; value_column - the numeric value (NULLs ignored);
        probabilities - non-empty list of numbers in [0, 1]; prefix - output column prefix;
        grid_cells - cells per group (default 65536)
  example: deciles as ({{ score_monitoring.grid_quantiles('(select * from reference_values)', ['model_name'], 'value', [0.1, 0.5, 0.9], 'decile_') }})
#}
{% macro grid_quantiles(relation, group_columns, value_column, probabilities, prefix, grid_cells=65536) %}
    {%- do score_monitoring.validate_grid_arguments('grid_quantiles', group_columns, probabilities, grid_cells) -%}
    {%- set double = score_monitoring.type_double() -%}
    {%- set bigint = dbt.type_bigint() -%}
    {%- set groups = group_columns | join(', ') -%}
    {#- Templates: @l / @r stand for the two aliases of a join, @a for the alias of a column list. -#}
    {%- set join_template -%}
        {%- for column in group_columns %}{{ ' and ' if not loop.first }}@l.{{ column }} = @r.{{ column }}{% endfor -%}
    {%- endset -%}
    {%- set list_template -%}
        {%- for column in group_columns %}@a.{{ column }}, {% endfor -%}
    {%- endset -%}
    {#- Cell k holds the ranks [rank_before, rank_through) of the sorted values (grid_cell_index). -#}
    {%- set indexed_values -%}
        select
            {{ list_template.replace('@a', 'quantile_ranges') }}
            {{ score_monitoring.grid_cell_index('quantile_input.' ~ value_column, 'quantile_ranges.value_min', 'quantile_ranges.value_max', grid_cells) }} as cell_index,
            quantile_input.{{ value_column }} as quantile_value
        from {{ relation }} as quantile_input
        inner join quantile_ranges
            on {{ join_template.replace('@l', 'quantile_input').replace('@r', 'quantile_ranges') }}
        where quantile_input.{{ value_column }} is not null
    {%- endset -%}
    with quantile_ranges as (
        select
            {{ groups }},
            count({{ value_column }}) as value_count,
            min({{ value_column }}) as value_min,
            max({{ value_column }}) as value_max
        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ groups }}
    ),

    quantile_cells as (
        select
            {{ groups }},
            cell_index,
            sum(count(*)) over (partition by {{ groups }} order by cell_index rows between unbounded preceding and current row) as rank_through,
            count(*) as cell_count
        from ({{ indexed_values }}) as quantile_indexed
        group by {{ groups }}, cell_index
    ),

    {#- numpy's linear method: h = (n - 1) p, the values of ranks floor(h) and ceil(h) (0-based). -#}
    quantile_positions as (
        {%- for probability in probabilities %}
        select
            {{ groups }},
            {{ loop.index }} as quantile_index,
            (value_count - 1) * cast({{ probability | float }} as {{ double }}) as position,
            cast(floor((value_count - 1) * cast({{ probability | float }} as {{ double }})) as {{ bigint }}) as lower_rank,
            cast(ceil((value_count - 1) * cast({{ probability | float }} as {{ double }})) as {{ bigint }}) as upper_rank
        from quantile_ranges
        {{- '\n        union all' if not loop.last }}
        {%- endfor %}
    ),

    needed_ranks as (
        select {{ groups }}, lower_rank as needed_rank from quantile_positions
        union distinct
        select {{ groups }}, upper_rank as needed_rank from quantile_positions
    ),

    needed_cells as (
        select
            {{ list_template.replace('@a', 'needed_ranks') }}
            needed_ranks.needed_rank,
            quantile_cells.cell_index,
            quantile_cells.rank_through - quantile_cells.cell_count as rank_before
        from needed_ranks
        inner join quantile_cells
            on
                {{ join_template.replace('@l', 'needed_ranks').replace('@r', 'quantile_cells') }}
                and needed_ranks.needed_rank >= quantile_cells.rank_through - quantile_cells.cell_count
                and needed_ranks.needed_rank < quantile_cells.rank_through
    ),

    {#- Inside the needed cells only: each distinct value and the ranks it covers. -#}
    cell_values as (
        select
            {{ list_template.replace('@a', 'quantile_indexed') }}
            quantile_indexed.cell_index,
            quantile_indexed.quantile_value,
            count(*) as value_rows
        from ({{ indexed_values }}) as quantile_indexed
        inner join (select distinct {{ groups }}, cell_index, rank_before from needed_cells) as wanted_cells
            on
                {{ join_template.replace('@l', 'quantile_indexed').replace('@r', 'wanted_cells') }}
                and quantile_indexed.cell_index = wanted_cells.cell_index
        group by {{ list_template.replace('@a', 'quantile_indexed') }}quantile_indexed.cell_index, quantile_indexed.quantile_value
    ),

    cell_value_ranks as (
        select
            {{ list_template.replace('@a', 'cell_values') }}
            cell_values.cell_index,
            cell_values.quantile_value,
            sum(cell_values.value_rows) over (
                partition by {{ list_template.replace('@a', 'cell_values') }}cell_values.cell_index
                order by cell_values.quantile_value rows between unbounded preceding and current row
            ) as cell_rank_through,
            cell_values.value_rows
        from cell_values
    ),

    rank_values as (
        select
            {{ list_template.replace('@a', 'needed_cells') }}
            needed_cells.needed_rank,
            cell_value_ranks.quantile_value
        from needed_cells
        inner join cell_value_ranks
            on
                {{ join_template.replace('@l', 'needed_cells').replace('@r', 'cell_value_ranks') }}
                and needed_cells.cell_index = cell_value_ranks.cell_index
                and needed_cells.needed_rank >= needed_cells.rank_before + cell_value_ranks.cell_rank_through - cell_value_ranks.value_rows
                and needed_cells.needed_rank < needed_cells.rank_before + cell_value_ranks.cell_rank_through
    ),

    quantile_values as (
        select
            {{ list_template.replace('@a', 'quantile_positions') }}
            quantile_positions.quantile_index,
            {{ score_monitoring.numpy_lerp(
                'cast(lower_values.quantile_value as ' ~ double ~ ')',
                'cast(upper_values.quantile_value as ' ~ double ~ ')',
                '(quantile_positions.position - floor(quantile_positions.position))'
            ) }} as quantile_value
        from quantile_positions
        inner join rank_values as lower_values
            on
                {{ join_template.replace('@l', 'quantile_positions').replace('@r', 'lower_values') }}
                and quantile_positions.lower_rank = lower_values.needed_rank
        inner join rank_values as upper_values
            on
                {{ join_template.replace('@l', 'quantile_positions').replace('@r', 'upper_values') }}
                and quantile_positions.upper_rank = upper_values.needed_rank
    )

    select
        {{ list_template.replace('@a', 'quantile_ranges') }}
        quantile_ranges.value_count,
        quantile_ranges.value_min,
        quantile_ranges.value_max,
        {%- for probability in probabilities %}
        max(case when quantile_values.quantile_index = {{ loop.index }} then quantile_values.quantile_value end) as {{ prefix }}{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from quantile_ranges
    left join quantile_values
        on {{ join_template.replace('@l', 'quantile_ranges').replace('@r', 'quantile_values') }}
    group by {{ list_template.replace('@a', 'quantile_ranges') }}quantile_ranges.value_count, quantile_ranges.value_min, quantile_ranges.value_max
{%- endmacro %}
