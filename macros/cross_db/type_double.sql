{#
  purpose: the 64-bit floating point type name of the target (dbt.type_float() is 32-bit on DuckDB).
  args: none
  example: cast(score as {{ score_monitoring.type_double() }})
#}
{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{# BigQuery names its only float type FLOAT64. #}
{% macro bigquery__type_double() %}float64{% endmacro %}

{# DuckDB spells it DOUBLE. #}
{% macro duckdb__type_double() %}double{% endmacro %}
