{#
  purpose: whether a reference profile input is configured (var reference_profile_model,
           reference_profile_path or reference_profile_table), which drift_reference_mode
           'profile' needs.
  args: none
  example: {% if score_monitoring.reference_profile_enabled() %} ... {% endif %}
#}
{% macro reference_profile_enabled() %}
    {{- return(score_monitoring.input_kind('reference_profile') is not none) -}}
{% endmacro %}
