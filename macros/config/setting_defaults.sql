{#
  purpose: every setting of score-monitoring with its default, in one place: global settings (vars
           only) and per-model settings (a var, overridable per model under var monitored_models).
           The README's settings table documents each one.
  args: none
  example: {% set defaults = score_monitoring.setting_defaults() %} {{ defaults.per_model.label_horizon_days }}
#}
{% macro setting_defaults() %}
    {{- return({
        'global': {
            'scores_model': none,
            'scores_path': none,
            'scores_table': none,
            'labels_model': none,
            'labels_path': none,
            'labels_table': none,
            'reference_profile_model': none,
            'reference_profile_path': none,
            'reference_profile_table': none,
            'source_project': none,
            'source_dataset': none,
            'monitoring_date': none,
            'monitored_models': {},
            'previous_reference_max_gap_days': 31,
            'label_lookback_days': 90,
            'quantile_method': 'approx',
            'zscore_history_days': 28,
            'zscore_min_history': 7,
            'zscore_same_weekday_metrics': [],
            'alert_cooldown_days': 3,
            'drift_alpha': 0.01,
            'drift_require_significance': true,
        },
        'per_model': {
            'numeric_features': [],
            'categorical_features': [],
            'segment_columns': [],
            'decision_threshold': 0.5,
            'label_horizon_days': 7,
            'drift_reference_mode': 'previous',
            'drift_reference_days': 7,
            'drift_reference_start': none,
            'drift_reference_end': none,
            'min_segment_rows': 100,
            'categorical_top_k': 20,
            'version_aware_reference': true,
            'calibration_method': 'bins',
            'calibration_reference_days': 28,
            'calibration_reference_start': none,
            'calibration_reference_end': none,
            'decision_capacity': none,
            'review_capacity': none,
            'value_per_true_positive': 0,
            'cost_per_false_positive': 0,
            'cost_per_false_negative': 0,
            'cost_per_decision': 0,
            'cost_per_review': 0,
        },
    }) -}}
{% endmacro %}
