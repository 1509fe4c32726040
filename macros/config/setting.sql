{#
  purpose: the value of one setting, with one precedence: the model's own entry under var
           monitored_models (per-model settings only), then the var of the same name, then the
           default of setting_defaults(). Every model and macro reads settings through it.
  args: key - the setting's name; model_name - a model_name for its own value (none: the var level,
        which applies to every model not in monitored_models)
  example: {{ score_monitoring.setting('label_horizon_days', 'churn') }}
#}
{% macro setting(key, model_name=none) %}
    {%- set defaults = score_monitoring.setting_defaults() -%}
    {%- if key in defaults.per_model -%}
        {%- if model_name is not none -%}
            {%- set model_settings = var('monitored_models', {}).get(model_name, none) -%}
            {%- if model_settings is mapping and key in model_settings -%}
                {{- return(model_settings[key]) -}}
            {%- endif -%}
        {%- endif -%}
        {{- return(var(key, defaults.per_model[key])) -}}
    {%- elif key in defaults.global -%}
        {%- if model_name is not none -%}
            {{ exceptions.raise_compiler_error("score_monitoring: setting '" ~ key ~ "' is global and cannot be set per model (asked for model '" ~ model_name ~ "')") }}
        {%- endif -%}
        {{- return(var(key, defaults.global[key])) -}}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("score_monitoring: unknown setting '" ~ key ~ "'; the settings are " ~ (defaults.global.keys() | list + defaults.per_model.keys() | list) | sort | join(', ')) }}
{% endmacro %}
