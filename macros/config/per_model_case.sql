{#
  purpose: a SQL expression whose value depends on the row's model: a CASE over the models named
           in var monitored_models, the '*' scope (the vars) as the ELSE; just the value when every
           scope has the same one.
  args: model_column - the SQL expression holding model_name; values - dict scope -> SQL
        expression, with a '*' entry (as from monitored_model_settings())
  example: {{ score_monitoring.per_model_case('model_name', {'*': '7', 'churn': '30'}) }}
#}
{% macro per_model_case(model_column, values) %}
    {%- if '*' not in values -%}
        {{ exceptions.raise_compiler_error("score_monitoring: per_model_case() needs a '*' entry (the value of models not in monitored_models)") }}
    {%- endif -%}
    {%- set overrides = [] -%}
    {%- for scope, value in values.items() | sort if scope != '*' and value | string != values['*'] | string -%}
        {%- do overrides.append("when '" ~ scope ~ "' then " ~ value) -%}
    {%- endfor -%}
    {%- if not overrides -%}
        {{- return(values['*'] | string) -}}
    {%- endif -%}
    {{- return("(case " ~ model_column ~ " " ~ overrides | join(' ') ~ " else " ~ values['*'] ~ " end)") -}}
{% endmacro %}
