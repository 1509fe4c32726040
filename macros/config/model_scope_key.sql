{#
  purpose: the settings scope of each row as a SQL expression: the model_name itself for a model
           named in var monitored_models, else '*' (the vars). Joining on it with a small table
           keyed by scope gives each model only its own features and segments.
  args: model_column - the SQL expression holding model_name
  example: where {{ score_monitoring.model_scope_key('model_name') }} in ('*', 'churn')
#}
{% macro model_scope_key(model_column) %}
    {%- set configured = score_monitoring.setting('monitored_models').keys() | list | sort -%}
    {%- if not configured -%}
        {{- return("'*'") -}}
    {%- endif -%}
    {{- return("case when " ~ model_column ~ " in ('" ~ configured | join("', '") ~ "') then " ~ model_column ~ " else '*' end") -}}
{% endmacro %}
