{#
  purpose: whether an outcomes input is configured (var labels_model, labels_path or labels_table);
           with none the label tables build empty instead of failing, so score monitoring runs
           before any outcome exists.
  args: none
  example: {% if score_monitoring.labels_enabled() %} ... {% endif %}
#}
{% macro labels_enabled() %}
    {{- return(score_monitoring.input_kind('labels') is not none) -}}
{% endmacro %}
