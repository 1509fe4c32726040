{#
  purpose: the monitored drift subjects: the score (always, numeric) then the configured features,
           as a list of {name, type} dicts; the one place that turns vars into the feature list.
  args: none (reads vars numeric_features, categorical_features)
  example: {% for feature in score_monitoring.drift_features() %} '{{ feature.name }}' {% endfor %}
#}
{% macro drift_features() %}
    {%- do score_monitoring.validate_config() -%}
    {%- set features = [{'name': 'score', 'type': 'numeric'}] -%}
    {%- for name in var('numeric_features') -%}
        {%- do features.append({'name': score_monitoring.validate_identifier(name, 'numeric_features'), 'type': 'numeric'}) -%}
    {%- endfor -%}
    {%- for name in var('categorical_features') -%}
        {%- do features.append({'name': score_monitoring.validate_identifier(name, 'categorical_features'), 'type': 'categorical'}) -%}
    {%- endfor -%}
    {%- set names = features | map(attribute='name') | list -%}
    {%- for name in names if names.count(name) > 1 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: feature '" ~ name ~ "' is listed twice (or is 'score') in numeric_features / categorical_features") }}
    {%- endfor -%}
    {{- return(features) -}}
{% endmacro %}
