{#
  purpose: a parquet path or glob from a var, refused when it could break out of its SQL string
           literal (or the source's location template).
  args: var_name - 'scores_path', 'labels_path' or 'reference_profile_path'
  example: {% do score_monitoring.parquet_path('scores_path') %}
#}
{% macro parquet_path(var_name) %}
    {%- set path = score_monitoring.setting(var_name) -%}
    {%- if path is not string or path | length == 0 or "'" in path or '\\' in path or '$' in path -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var " ~ var_name ~ " must be a parquet file path or glob without quotes, backslashes or '$'; got '" ~ path ~ "'") }}
    {%- endif -%}
    {{- return(path) -}}
{% endmacro %}
