{#
  purpose: the unavailable reason of a KS check for a model in drift_reference_mode 'profile', as
           a (condition, message) pair for check_registry(): a profile holds bins, and the exact
           KS needs the raw reference values.
  args: model_column - the model_name column of the check's row
  example: 'reasons': [score_monitoring.profile_ks_reason('feature.model_name')]
#}
{% macro profile_ks_reason(model_column) %}
    {{- return((score_monitoring.setting_sql('drift_reference_mode', model_column) ~ " = 'profile'",
        "'KS is not computed in drift_reference_mode profile: it needs the raw reference values, and a profile holds only bins'")) -}}
{% endmacro %}
