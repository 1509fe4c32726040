{#
  purpose: whole days from start_date to end_date (end - start) as an integer.
  args: start_date, end_date - SQL DATE expressions
  example: {{ score_monitoring.days_between('reference_end', 'score_date') }}
#}
{% macro days_between(start_date, end_date) %}
    {{- return(adapter.dispatch('days_between', 'score_monitoring')(start_date, end_date)) -}}
{% endmacro %}

{% macro default__days_between(start_date, end_date) %}date_diff({{ end_date }}, {{ start_date }}, day){% endmacro %}

{# DuckDB's date_diff takes the unit first and the dates in start, end order. #}
{% macro duckdb__days_between(start_date, end_date) %}date_diff('day', {{ start_date }}, {{ end_date }}){% endmacro %}
