{#
  purpose: the cell (0 .. grid_cells - 1) of a value on an equal-width grid over [value_min,
           value_max]; 0 when the range is one point. Monotone in the value (each float
           operation is), so a cell is a contiguous run of the sorted values: the property the
           grid refinements (two_sample_ks_bounded_refinement, grid_quantiles) rest on.
  args: value, value_min, value_max - SQL expressions (doubles, the value within the range);
        grid_cells - positive integer
  example: {{ score_monitoring.grid_cell_index('v.x', 'r.value_min', 'r.value_max', 65536) }} as cell_index
#}
{% macro grid_cell_index(value, value_min, value_max, grid_cells) -%}
    case
        when {{ value_max }} > {{ value_min }}
            then least(
                cast(floor(({{ value }} - {{ value_min }}) / ({{ value_max }} - {{ value_min }}) * {{ grid_cells }}) as {{ dbt.type_bigint() }}),
                {{ grid_cells - 1 }}
            )
        else 0
    end
{%- endmacro %}
