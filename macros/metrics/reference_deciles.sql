{#
  purpose: select items with the reference deciles (quantiles 0.1 .. 0.9) of a numeric expression,
           named <prefix>1 .. <prefix>9: the raw bin edges before duplicates are collapsed.
  args: expression - numeric SQL expression (NULLs ignored); prefix - output column prefix (default 'decile_')
  example: select model_name, {{ score_monitoring.reference_deciles('valid_score') }} from reference_rows group by model_name
#}
{% macro reference_deciles(expression, prefix='decile_') %}
    {%- set deciles = score_monitoring.quantile_aggregates(expression, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) -%}
    {%- for decile_expression in deciles %}
    cast({{ decile_expression }} as {{ score_monitoring.type_double() }}) as {{ prefix }}{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
