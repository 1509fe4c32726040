{#
  purpose: the resolved per-model settings of every settings scope, validated: '*' (the vars, for
           every model not in var monitored_models) and each model named there, as a dict
           scope -> {setting: value}. Models, scan bounds and per-model SQL loop over it.
  args: none
  example: {% for scope, settings in score_monitoring.monitored_model_settings().items() %} ... {% endfor %}
#}
{% macro monitored_model_settings() %}
    {%- do score_monitoring.validate_config() -%}
    {%- set per_model_keys = score_monitoring.setting_defaults().per_model.keys() | list -%}
    {%- set scopes = {} -%}
    {%- for scope in ['*'] + (score_monitoring.setting('monitored_models').keys() | list | sort) -%}
        {%- set settings = {} -%}
        {%- for key in per_model_keys -%}
            {%- do settings.update({key: score_monitoring.setting(key, none if scope == '*' else scope)}) -%}
        {%- endfor -%}
        {%- do scopes.update({scope: settings}) -%}
    {%- endfor -%}
    {{- return(scopes) -}}
{% endmacro %}
