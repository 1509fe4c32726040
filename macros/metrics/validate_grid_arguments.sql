{#
  purpose: refuse a bad argument of a grid or quantile macro with a message naming the macro:
           group_columns not a non-empty list, probabilities not a non-empty list of numbers in
           [0, 1], grid_cells not a positive integer (each checked when given, none = skip).
  args: macro_name - the caller, named in the error; group_columns, probabilities, grid_cells
  example: {% do score_monitoring.validate_grid_arguments('grid_quantiles', group_columns, probabilities, grid_cells) %}
#}
{% macro validate_grid_arguments(macro_name, group_columns=none, probabilities=none, grid_cells=none) %}
    {%- set prefix = "score_monitoring: " ~ macro_name ~ "() needs " -%}
    {%- if group_columns is not none and (group_columns is string or group_columns | length == 0) -%}
        {{ exceptions.raise_compiler_error(prefix ~ "group_columns as a non-empty list, got '" ~ group_columns ~ "'") }}
    {%- endif -%}
    {%- if probabilities is not none -%}
        {%- if probabilities is string or probabilities is not iterable or probabilities | length == 0 -%}
            {{ exceptions.raise_compiler_error(prefix ~ "a non-empty list of probabilities, got '" ~ probabilities ~ "'") }}
        {%- endif -%}
        {%- for probability in probabilities -%}
            {%- if probability is not number or probability < 0 or probability > 1 -%}
                {{ exceptions.raise_compiler_error(prefix ~ "probabilities in [0, 1], got '" ~ probability ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if grid_cells is not none and (grid_cells is not number or grid_cells < 1 or grid_cells != grid_cells | int) -%}
        {{ exceptions.raise_compiler_error(prefix ~ "grid_cells as a positive integer, got '" ~ grid_cells ~ "'") }}
    {%- endif -%}
{% endmacro %}
