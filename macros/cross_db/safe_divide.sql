{#
  purpose: numerator / denominator as a float, NULL when the denominator is 0 or NULL.
  args: numerator, denominator - SQL numeric expressions
  example: {{ score_monitoring.safe_divide('decision_count', 'decision_known_count') }}
#}
{% macro safe_divide(numerator, denominator) %}
    {{- return(adapter.dispatch('safe_divide', 'score_monitoring')(numerator, denominator)) -}}
{% endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    case when ({{ denominator }}) = 0 then null
    else cast({{ numerator }} as {{ score_monitoring.type_double() }}) / ({{ denominator }}) end
{%- endmacro %}

{# BigQuery's SAFE_DIVIDE already returns NULL on a zero denominator; the casts keep FLOAT64 when an
   operand is a NUMERIC (a SUM of integers the emulator types as NUMERIC). #}
{% macro bigquery__safe_divide(numerator, denominator) %}safe_divide(cast({{ numerator }} as {{ score_monitoring.type_double() }}), cast({{ denominator }} as {{ score_monitoring.type_double() }})){% endmacro %}
