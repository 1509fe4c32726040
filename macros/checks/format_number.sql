{#
  purpose: a number as short text for check messages (rounded to 4 decimals; 'NULL' when NULL).
  args: expression - numeric SQL expression
  example: concat('psi = ', {{ score_monitoring.format_number('psi') }})
#}
{% macro format_number(expression) -%}
    coalesce(cast(round(cast({{ expression }} as {{ score_monitoring.type_double() }}), 4) as {{ dbt.type_string() }}), 'NULL')
{%- endmacro %}
