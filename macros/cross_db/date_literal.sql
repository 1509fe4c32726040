{#
  purpose: a DATE literal from a 'YYYY-MM-DD' string, validated at compile time.
  args: value - a date string (or date) such as '2026-01-31'
  example: {{ score_monitoring.date_literal('2026-01-31') }}
#}
{% macro date_literal(value) %}
    {%- set text = value | string -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("score_monitoring: expected a date as 'YYYY-MM-DD', got '" ~ text ~ "'") }}
    {%- endif -%}
    {{- return("date '" ~ text ~ "'") -}}
{% endmacro %}
