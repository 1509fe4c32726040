{#
  purpose: refuse a column or table name that is not a plain SQL identifier, so vars cannot inject SQL.
  args: name - the identifier; origin - where it came from (named in the error)
  example: {% do score_monitoring.validate_identifier('region', 'segment_columns') %}
#}
{% macro validate_identifier(name, origin) %}
    {%- if name is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]{0,127}$', name) -%}
        {{ exceptions.raise_compiler_error("score_monitoring: '" ~ name ~ "' in " ~ origin ~ " is not a plain column name (letters, digits, underscore; not starting with a digit)") }}
    {%- endif -%}
    {{- return(name) -}}
{% endmacro %}
