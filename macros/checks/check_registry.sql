{#
  purpose: the one list of checks. For each applicable check: name, family, row_alias (the alias
           its SQL gives the family's row: model_day, feature, segment_day, estimate, operation_day, cohort, history or version_day), metric (SQL over
           that row), reasons (the (condition, message) SQL
           pairs that make it unavailable, first match wins), and, where they apply, types (the
           feature types of a feature check), subject (SQL naming what the check is about: a feature, a segment),
           where (SQL limiting the rows it applies to), noise (drift_noise(): the significance rule of
           a drift check), cap (version_change_cap(): at most warn on a version change) and history_metric / history_source (the
           mart column a learned z-score check follows). Only checks the inputs and settings allow
           are listed, unless applicable_only is false: review_rate_shift needs a review_flag
           column, latency_p95 a latency_ms column, error_rate an error_flag column, segment_calibration_gap and the segment checks a model with segment_columns,
           the capacity checks a model with that capacity, value_per_decision a model with a value or cost. A check runs when the
           thresholds seed has a row for it.
  args: family - 'score', 'feature', 'segment', 'estimate', 'operation', 'label', 'learned' or 'version'; none lists every family;
        applicable_only - drop the checks the inputs and settings rule out (default true)
  example: {% for check in score_monitoring.check_registry('score') %}{{ check.name }}{% endfor %}
#}
{% macro check_registry(family=none, applicable_only=true) %}
    {%- set families = ['score', 'feature', 'segment', 'estimate', 'operation', 'label', 'learned', 'version'] -%}
    {%- if family is not none and family not in families -%}
        {{ exceptions.raise_compiler_error("score_monitoring: check_registry() knows no check family '" ~ family ~ "'; use one of " ~ families | join(', ')) }}
    {%- endif -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set by_family = {'score': [], 'feature': [], 'segment': [], 'estimate': [], 'operation': [], 'label': [], 'learned': [], 'version': []} -%}
    {%- set segmented_scopes = [] -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() if settings.segment_columns -%}
        {%- do segmented_scopes.append(scope) -%}
    {%- endfor -%}
    {%- set segmented_scope_list = "('" ~ segmented_scopes | join("', '") ~ "')" -%}
    {%- set scopes_with = {'decision_capacity': [], 'review_capacity': [], 'value': []} -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- for key in ['decision_capacity', 'review_capacity'] if settings[key] is not none -%}
            {%- do scopes_with[key].append(scope) -%}
        {%- endfor -%}
        {%- if settings.value_per_true_positive or settings.cost_per_false_positive or settings.cost_per_false_negative or settings.cost_per_decision or settings.cost_per_review -%}
            {%- do scopes_with.value.append(scope) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if family in [none, 'score'] -%}
        {%- set no_rows = ("model_day.row_count = 0", "'no rows scored on this day'") -%}
        {%- set no_valid_scores = ("model_day.valid_score_count = 0", "case when model_day.error_count = model_day.row_count then concat('no valid scores on this day: all ', cast(model_day.row_count as "
            ~ string_type ~ "), ' rows are scoring errors (error_flag)') when model_day.error_count > 0 then concat('no valid scores on this day: ', cast(model_day.error_count as "
            ~ string_type ~ "), ' scoring errors (error_flag), the other rows NULL, NaN or out of bounds') else 'no valid scores on this day (all NULL, NaN or out of bounds)' end") -%}
        {%- set reference_window = "case when model_day.reference_start is null then 'no reference yet: no earlier score date of this model in the "
            ~ score_monitoring.setting('previous_reference_max_gap_days') ~ " days before (var previous_reference_max_gap_days)' else concat('no reference yet: no scored rows in the reference window ', cast(model_day.reference_start as "
            ~ string_type ~ "), ' .. ', cast(model_day.reference_end as " ~ string_type ~ ")) end" -%}
        {%- set no_reference_days = ("model_day.reference_daily_row_count is null", reference_window) -%}
        {%- set no_reference_scores = ("coalesce(model_day.reference_row_count, 0) = 0", reference_window) -%}
        {%- do by_family.score.extend([
            {'name': 'row_count', 'metric': 'model_day.row_count',
                'reasons': [("not model_day.model_has_scores", "concat('model ', model_day.model_name, ' is configured in var monitored_models but the scores input has no rows for it')")]},
            {'name': 'volume_change', 'metric': 'abs(' ~ score_monitoring.safe_divide('model_day.row_count', 'model_day.reference_daily_row_count') ~ ' - 1)',
                'reasons': [no_reference_days]},
            {'name': 'duplicate_rate', 'metric': score_monitoring.safe_divide('model_day.duplicate_rows', 'model_day.row_count'), 'reasons': [no_rows]},
            {'name': 'model_version_count', 'metric': 'model_day.model_version_count', 'reasons': [no_rows]},
            {'name': 'null_score_rate', 'metric': score_monitoring.safe_divide('model_day.null_score_count', 'model_day.row_count'), 'reasons': [no_rows]},
            {'name': 'out_of_bounds_rate', 'metric': score_monitoring.safe_divide('model_day.out_of_bounds_count', 'model_day.row_count'), 'reasons': [no_rows]},
            {'name': 'decision_rate_shift', 'metric': 'abs(model_day.decision_rate - model_day.reference_decision_rate)',
                'reasons': [no_rows, ("model_day.decision_rate is null", "'no decision known on this day'"), no_reference_days]},
            {'name': 'score_psi', 'cap': score_monitoring.version_change_cap('model_day'), 'metric': 'model_day.psi', 'reasons': [no_rows, no_valid_scores, no_reference_scores],
                'noise': score_monitoring.drift_noise('critical', 'model_day.psi', 'model_day.psi_critical_value', 'model_day.current_row_count', 'model_day.reference_row_count', 'psi_critical_value')},
            {'name': 'score_ks', 'cap': score_monitoring.version_change_cap('model_day'), 'metric': 'model_day.ks_statistic', 'reasons': [no_rows, no_valid_scores, score_monitoring.profile_ks_reason('model_day.model_name'), no_reference_scores],
                'noise': score_monitoring.drift_noise('p_value', 'model_day.ks_statistic', 'model_day.ks_p_value', 'model_day.current_row_count', 'model_day.reference_row_count', 'ks_p_value')},
        ]) -%}
        {%- do by_family.score.extend([
            {'name': 'latency_p95', 'metric': 'model_day.latency_p95', 'applies': 'latency_ms' in score_monitoring.input_columns('scores'),
                'reasons': [no_rows, ("model_day.latency_p95 is null", "'no latency_ms recorded on this day'")]},
            {'name': 'error_rate', 'metric': 'model_day.error_rate', 'applies': 'error_flag' in score_monitoring.input_columns('scores'), 'reasons': [no_rows]},
        ]) -%}
        {%- do by_family.score.append({'name': 'review_rate_shift', 'metric': 'abs(model_day.review_rate - model_day.reference_review_rate)',
            'applies': 'review_flag' in score_monitoring.input_columns('scores'),
            'reasons': [no_rows, ("model_day.review_rate is null", "'no review_flag known on this day'"), no_reference_days]}) -%}
    {%- endif -%}

    {%- if family in [none, 'feature'] -%}
        {%- set no_values = [
            ("feature.current_value_count = 0", "concat('feature ', feature.feature_name, ' has no non-NULL values on this day')"),
            ("feature.reference_value_count = 0", "concat('feature ', feature.feature_name, ' has no non-NULL values in the reference (window or profile)')"),
        ] -%}
        {%- do by_family.feature.extend([
            {'name': 'feature_psi', 'cap': score_monitoring.version_change_cap('feature'), 'subject': 'feature.feature_name', 'metric': 'feature.psi', 'types': ['numeric', 'categorical'], 'reasons': no_values,
                'noise': score_monitoring.drift_noise('critical', 'feature.psi', 'feature.psi_critical_value', 'feature.current_value_count', 'feature.reference_value_count', 'psi_critical_value')},
            {'name': 'feature_ks', 'cap': score_monitoring.version_change_cap('feature'), 'subject': 'feature.feature_name', 'metric': 'feature.ks_statistic', 'types': ['numeric'], 'reasons': [score_monitoring.profile_ks_reason('feature.model_name')] + no_values,
                'noise': score_monitoring.drift_noise('p_value', 'feature.ks_statistic', 'feature.ks_p_value', 'feature.current_value_count', 'feature.reference_value_count', 'ks_p_value')},
            {'name': 'feature_missing_rate_increase', 'subject': 'feature.feature_name', 'metric': 'feature.missing_rate - feature.reference_missing_rate', 'types': ['numeric', 'categorical'],
                'reasons': [("feature.reference_missing_rate is null", "concat('feature ', feature.feature_name, ': no reference rows to compare missingness with')")]},
            {'name': 'feature_out_of_range_share', 'subject': 'feature.feature_name', 'metric': 'feature.out_of_reference_range_share', 'types': ['numeric'], 'reasons': no_values},
            {'name': 'feature_new_category_share', 'subject': 'feature.feature_name', 'metric': 'feature.new_category_share', 'types': ['categorical'], 'reasons': no_values},
        ]) -%}
    {%- endif -%}

    {%- if family in [none, 'segment'] -%}
        {%- set segment_reference = ("coalesce(segment_day.reference_row_count, 0) = 0", "'no reference rows of the model to compare its segments with'") -%}
        {%- do by_family.segment.extend([
            {'name': 'segment_score_psi', 'cap': score_monitoring.version_change_cap('segment_day'), 'metric': 'segment_day.worst_psi', 'applies': segmented_scopes | length > 0,
                'subject': "case when segment_day.worst_psi is not null then segment_day.worst_psi_segment end",
                'where': score_monitoring.model_scope_key('segment_day.model_name') ~ " in " ~ segmented_scope_list,
                'reasons': [segment_reference, ("segment_day.worst_psi is null", "concat('no segment has min_segment_rows (', cast("
                    ~ score_monitoring.setting_sql('min_segment_rows', 'segment_day.model_name') ~ " as " ~ string_type ~ "), ') valid scores both today and in the reference')")],
                'noise': score_monitoring.drift_noise('critical', 'segment_day.worst_psi', 'segment_day.worst_psi_critical_value', 'segment_day.worst_psi_row_count', 'segment_day.worst_psi_reference_row_count', 'psi_critical_value')},
            {'name': 'segment_volume_shift', 'cap': score_monitoring.version_change_cap('segment_day'), 'metric': 'segment_day.worst_share_shift', 'applies': segmented_scopes | length > 0,
                'subject': "case when segment_day.worst_share_shift is not null then segment_day.worst_share_segment end",
                'where': score_monitoring.model_scope_key('segment_day.model_name') ~ " in " ~ segmented_scope_list,
                'reasons': [segment_reference],
                'noise': score_monitoring.drift_noise('critical', 'segment_day.worst_share_shift', 'segment_day.worst_share_critical_value', 'segment_day.row_count', 'segment_day.reference_row_count', 'row_share_critical_value')},
        ]) -%}
    {%- endif -%}

    {%- if family in [none, 'estimate'] -%}
        {%- set no_scores = ("estimate.scored_count = 0", "'no valid scores on this day to estimate from'") -%}
        {%- set one_class = ("estimate.expected_positive_total = 0 or estimate.expected_positive_total = estimate.scored_count",
            "concat('one class expected: the calibrated probabilities of the ', cast(estimate.scored_count as " ~ string_type
            ~ "), ' valid scores sum to ', " ~ score_monitoring.format_number('estimate.expected_positive_total') ~ ", ' (calibration_method ', estimate.calibration_method, ')')") -%}
        {%- set no_decisions = ("estimate.expected_tp + estimate.expected_fp + estimate.expected_fn + estimate.expected_tn = 0", "'no decision known on this day'") -%}
        {%- do by_family.estimate.extend([
            {'name': 'estimated_auc', 'metric': 'estimate.estimated_auc', 'reasons': [no_scores, one_class]},
            {'name': 'estimated_precision', 'metric': 'estimate.estimated_precision',
                'reasons': [no_scores, no_decisions, ("estimate.expected_tp + estimate.expected_fp = 0", "'no row is expected to be decided positive'")]},
            {'name': 'estimated_recall', 'metric': 'estimate.estimated_recall', 'reasons': [no_scores, no_decisions, one_class]},
        ]) -%}
    {%- endif -%}

    {%- if family in [none, 'operation'] -%}
        {%- set no_rows = ("operation_day.row_count = 0", "'no rows scored on this day'") -%}
        {%- for kind in ['decision', 'review'] -%}
            {%- do by_family.operation.append({'name': kind ~ '_capacity_use', 'metric': 'operation_day.' ~ kind ~ '_capacity_use', 'applies': scopes_with[kind ~ '_capacity'] | length > 0,
                'where': score_monitoring.model_scope_key('operation_day.model_name') ~ " in ('" ~ scopes_with[kind ~ '_capacity'] | join("', '") ~ "')",
                'reasons': [no_rows]}) -%}
        {%- endfor -%}
        {#- Judged on the day itself, from the estimated value (as estimated_auc): a check row never
            changes when the cohort later comes due, so daily runs and a full refresh agree. -#}
        {%- do by_family.operation.append({'name': 'value_per_decision', 'metric': score_monitoring.safe_divide('operation_day.estimated_value', 'operation_day.decision_count'),
            'applies': scopes_with.value | length > 0,
            'where': score_monitoring.model_scope_key('operation_day.model_name') ~ " in ('" ~ scopes_with.value | join("', '") ~ "')",
            'reasons': [no_rows, ("operation_day.decision_count = 0", "'no decision on this day'"),
                ("operation_day.estimated_value is null", "'no estimated value: no valid scores on this day'")]}) -%}
    {%- endif -%}

    {%- if family in [none, 'label'] -%}
        {%- set cohort_name = "concat('cohort ', cast(cohort.score_date as " ~ string_type ~ "), ' (due ', cast(cohort.due_date as " ~ string_type ~ "), ')')" -%}
        {%- set no_labelled = ("cohort.labelled_count = 0", "concat(" ~ cohort_name ~ ", ' is past its label horizon but has no usable labels')") -%}
        {%- set no_label_rows = ("cohort.label_row_count = 0", "concat(" ~ cohort_name ~ ", ' has no label rows')") -%}
        {%- do by_family.label.extend([
            {'name': 'label_coverage', 'metric': 'cohort.label_coverage', 'reasons': [("cohort.scored_count = 0", "concat(" ~ cohort_name ~ ", ' has labels but no scored rows')")]},
            {'name': 'labelled_sample_size', 'metric': 'cohort.labelled_count', 'reasons': []},
            {'name': 'ece', 'metric': 'cohort.ece', 'reasons': [no_labelled]},
            {'name': 'brier', 'metric': 'cohort.brier', 'reasons': [no_labelled]},
            {'name': 'abs_bias', 'metric': 'abs(cohort.bias)', 'reasons': [no_labelled]},
        ]) -%}
        {%- for metric in ['auc', 'precision', 'recall'] -%}
            {%- do by_family.label.append({'name': metric, 'metric': 'cohort.' ~ metric,
                'reasons': [no_labelled, ("cohort." ~ metric ~ " is null", "concat(" ~ cohort_name ~ ", ': ', cohort." ~ metric ~ "_undefined_reason)")]}) -%}
        {%- endfor -%}
        {%- do by_family.label.append({'name': 'estimation_error', 'metric': 'abs(cohort.estimated_auc - cohort.auc)',
            'reasons': [no_labelled, ("cohort.auc is null", "concat(" ~ cohort_name ~ ", ': ', cohort.auc_undefined_reason)"),
                ("cohort.estimated_auc is null", "concat(" ~ cohort_name ~ ", ': no estimated_auc was stored for it')")]}) -%}
        {%- for kind in ['invalid', 'duplicate', 'orphan'] -%}
            {%- do by_family.label.append({'name': kind ~ '_label_rate', 'metric': score_monitoring.safe_divide('cohort.' ~ kind ~ '_label_count', 'cohort.label_row_count'), 'reasons': [no_label_rows]}) -%}
        {%- endfor -%}
        {%- do by_family.label.append({'name': 'segment_calibration_gap', 'metric': 'cohort.worst_segment_gap', 'applies': segmented_scopes | length > 0,
            'subject': "case when cohort.worst_segment_gap is not null then cohort.worst_segment_name end",
            'where': score_monitoring.model_scope_key('cohort.model_name') ~ " in " ~ segmented_scope_list,
            'reasons': [no_labelled, ("cohort.worst_segment_gap is null", "concat(" ~ cohort_name ~ ", ': no segment has min_segment_rows (', cast("
                ~ score_monitoring.setting_sql('min_segment_rows', 'cohort.model_name') ~ " as " ~ string_type ~ "), ') labelled rows')")]}) -%}
    {%- endif -%}

    {%- if family in [none, 'learned'] -%}
        {%- set min_history = score_monitoring.setting('zscore_min_history') -%}
        {%- set same_weekday = score_monitoring.setting('zscore_same_weekday_metrics') -%}
        {%- set sources = {
            'score_health': ['row_count', 'entity_count', 'duplicate_rows', 'valid_score_count', 'score_mean', 'score_stddev', 'score_min', 'score_max',
                'score_p01', 'score_p05', 'score_p10', 'score_p25', 'score_p50', 'score_p75', 'score_p90', 'score_p95', 'score_p99', 'decision_rate', 'review_rate'],
            'score_drift': ['psi', 'js_distance', 'ks_statistic'],
        } -%}
        {%- for source, metrics in sources.items() -%}
            {%- for metric in metrics -%}
                {%- set value = 'history.' ~ metric ~ '_value' -%}
                {%- set mean = 'history.' ~ metric ~ '_history_mean' -%}
                {%- set stddev = 'history.' ~ metric ~ '_history_stddev' -%}
                {%- set count = 'history.' ~ metric ~ '_history_count' -%}
                {%- do by_family.learned.append({'name': metric ~ '_zscore', 'history_metric': metric, 'history_source': source,
                    'metric': "case when " ~ count ~ " < " ~ min_history ~ " or " ~ value ~ " is null then null when " ~ stddev ~ " = 0 and " ~ value ~ " = " ~ mean
                        ~ " then 0 else abs(" ~ value ~ " - " ~ mean ~ ") / nullif(" ~ stddev ~ ", 0) end",
                    'reasons': [
                        (count ~ " < " ~ min_history, "concat('only ', cast(" ~ count ~ " as " ~ string_type ~ "), ' of the " ~ min_history ~ " history points a z-score needs" ~ (" (same weekday)" if metric in same_weekday) ~ "')"),
                        (value ~ " is null", "'" ~ metric ~ " is NULL on this day'"),
                        (stddev ~ " = 0 and " ~ value ~ " <> " ~ mean, "'the history of " ~ metric ~ " is constant and this day differs from it'"),
                    ]}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}

    {%- if family in [none, 'version'] -%}
        {#- version_day rows: a challenger version against the day's baseline (version_comparison_daily,
            model_version set), or a model day against its previous score date (score_stability_daily). -#}
        {%- set versus_baseline = "concat(version_day.model_version, ' and the baseline ', version_day.baseline_version)" -%}
        {%- set no_shared = ("version_day.shared_entity_count = 0", "concat('no entity has exactly one row, with a valid score, under both ', " ~ versus_baseline ~ ")") -%}
        {%- do by_family.version.extend([
            {'name': 'spearman_correlation', 'metric': 'version_day.spearman_correlation', 'subject': 'version_day.model_version',
                'where': 'version_day.model_version is not null',
                'reasons': [no_shared, ("version_day.spearman_correlation is null", "concat('the ranks of ', " ~ versus_baseline ~ ", ' do not vary over their ', cast(version_day.shared_entity_count as "
                    ~ string_type ~ "), ' shared entities (one entity, or every score of one version tied)')")]},
            {'name': 'decision_agreement', 'metric': 'version_day.decision_agreement', 'subject': 'version_day.model_version',
                'where': 'version_day.model_version is not null',
                'reasons': [no_shared, ("version_day.decision_agreement is null", "concat('no shared entity of ', " ~ versus_baseline ~ ", ' has a decision under both')")]},
            {'name': 'decision_flip_rate', 'metric': 'version_day.decision_flip_rate', 'where': 'version_day.model_version is null',
                'reasons': [
                    ("version_day.previous_score_date is null", "'no previous score date: no earlier score date of this model in the "
                        ~ score_monitoring.setting('previous_reference_max_gap_days') ~ " days before (var previous_reference_max_gap_days)'"),
                    ("version_day.rescored_count = 0", "concat('no entity has exactly one row, with a valid score, both on this date and on the previous score date ', cast(version_day.previous_score_date as " ~ string_type ~ "))"),
                    ("version_day.decision_flip_rate is null", "'no entity scored on both dates has a decision on both'"),
                ]},
        ]) -%}
    {%- endif -%}

    {%- set row_aliases = {'score': 'model_day', 'feature': 'feature', 'segment': 'segment_day', 'estimate': 'estimate', 'operation': 'operation_day', 'label': 'cohort', 'learned': 'history', 'version': 'version_day'} -%}
    {%- set checks = [] -%}
    {%- for name in families if family in [none, name] -%}
        {%- for check in by_family[name] if check.get('applies', true) or not applicable_only -%}
            {%- do check.update({'family': name, 'row_alias': row_aliases[name]}) -%}
            {%- do checks.append(check) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(checks) }}
{% endmacro %}
