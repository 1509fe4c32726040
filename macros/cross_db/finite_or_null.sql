{#
  purpose: a floating point expression when it is finite; NULL for NaN, +infinity and -infinity
           (x - x is 0 only for a finite x; NaN never equals 0 on either engine).
  args: expression - SQL expression of a floating point type
  example: {{ score_monitoring.finite_or_null('monthly_spend') }}
#}
{% macro finite_or_null(expression) -%}
    case when {{ expression }} - {{ expression }} = 0 then {{ expression }} end
{%- endmacro %}
