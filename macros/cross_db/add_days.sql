{#
  purpose: a DATE expression shifted by a whole number of days.
  args: date_expression - SQL DATE expression; days - integer SQL expression or number (may be negative)
  example: {{ score_monitoring.add_days('score_date', -7) }}
#}
{% macro add_days(date_expression, days) %}
    {{- return(adapter.dispatch('add_days', 'score_monitoring')(date_expression, days)) -}}
{% endmacro %}

{% macro default__add_days(date_expression, days) %}date_add({{ date_expression }}, interval ({{ days }}) day){% endmacro %}

{# DuckDB's date + interval yields a TIMESTAMP; to_days keeps the DATE type. #}
{% macro duckdb__add_days(date_expression, days) %}cast({{ date_expression }} + to_days(cast({{ days }} as integer)) as date){% endmacro %}
