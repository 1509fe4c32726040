{#
  purpose: the number of rows of a group for which a condition is true, as a 64-bit integer.
  args: condition - SQL boolean expression
  example: {{ score_monitoring.count_where('score is null') }} as null_score_count
#}
{% macro count_where(condition) %}
    {{- return(adapter.dispatch('count_where', 'score_monitoring')(condition)) -}}
{% endmacro %}

{% macro default__count_where(condition) %}sum(case when {{ condition }} then 1 else 0 end){% endmacro %}

{# DuckDB sums integers into HUGEINT, which clients read back as floats. #}
{% macro duckdb__count_where(condition) %}cast(sum(case when {{ condition }} then 1 else 0 end) as bigint){% endmacro %}
