{#
  purpose: a SELECT of the monitored drift subjects per settings scope (model_scope: a model of
           var monitored_models, or '*' for every other model): the score (always, numeric) then
           the scope's features. Joined on model_scope_key(model_name), each model gets its own
           features only. The one place that turns feature settings into drift subjects.
  args: none (reads numeric_features, categorical_features of every scope)
  example: monitored_features as ({{ score_monitoring.drift_features() }})
#}
{% macro drift_features() %}
    {%- set selects = [] -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- set features = [('score', 'numeric')] -%}
        {%- for name in settings.numeric_features -%}
            {%- do features.append((name, 'numeric')) -%}
        {%- endfor -%}
        {%- for name in settings.categorical_features -%}
            {%- do features.append((name, 'categorical')) -%}
        {%- endfor -%}
        {%- for name, type in features -%}
            {%- do selects.append("select '" ~ scope ~ "' as model_scope, '" ~ name ~ "' as feature_name, '" ~ type ~ "' as feature_type") -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(selects | join('\n    union all\n    ')) -}}
{% endmacro %}
