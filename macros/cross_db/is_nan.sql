{#
  purpose: true when a floating point expression is NaN (NULL stays NULL).
  args: expression - SQL expression of a floating point type
  example: {{ score_monitoring.is_nan('score') }}
#}
{% macro is_nan(expression) %}
    {{- return(adapter.dispatch('is_nan', 'score_monitoring')(expression)) -}}
{% endmacro %}

{# NaN is the only value unequal to itself in IEEE comparisons. #}
{% macro default__is_nan(expression) %}({{ expression }} <> {{ expression }}){% endmacro %}

{# BigQuery has IS_NAN. #}
{% macro bigquery__is_nan(expression) %}is_nan({{ expression }}){% endmacro %}

{# DuckDB orders NaN as equal to itself, so it needs isnan(). #}
{% macro duckdb__is_nan(expression) %}isnan({{ expression }}){% endmacro %}
