{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table monitoring_checks: every check of every processed (score_date, model_name),
    with the metric, the thresholds that apply (named model over '*', named subject over none),
    the status and a message. A metric that cannot be computed is a warn that says why. Each model
    is checked on its own features and segments only (feature_drift_daily and the label checks
    hold only those).
    Label checks belong to their cohort's score_date: when late labels change an older cohort,
    its label checks are replaced and its other checks carried over unchanged from this table. -#}
{%- set has_review_flag = 'review_flag' in score_monitoring.input_columns('scores') -%}
{%- set no_rows = "model_day.row_count = 0" -%}
{%- set no_reference = "model_day.reference_daily_row_count is null" -%}
{%- set reference_window = "case when model_day.reference_start is null then 'no reference yet: no earlier score date of this model in the " ~ score_monitoring.setting('previous_reference_max_gap_days') ~ " days before (var previous_reference_max_gap_days)' else concat('no reference yet: no scored rows in the reference window ', cast(model_day.reference_start as " ~ dbt.type_string() ~ "), ' .. ', cast(model_day.reference_end as " ~ dbt.type_string() ~ ")) end" -%}
{%- set model_checks = [
    {'name': 'row_count', 'metric': 'model_day.row_count',
        'reasons': [('not model_day.model_has_scores', "concat('model ', model_day.model_name, ' is configured in var monitored_models but the scores input has no rows for it')")]},
    {'name': 'volume_change', 'metric': 'abs(' ~ score_monitoring.safe_divide('model_day.row_count', 'model_day.reference_daily_row_count') ~ ' - 1)',
        'reasons': [(no_reference, reference_window)]},
    {'name': 'duplicate_rate', 'metric': score_monitoring.safe_divide('model_day.duplicate_rows', 'model_day.row_count'),
        'reasons': [(no_rows, "'no rows scored on this day'")]},
    {'name': 'model_version_count', 'metric': 'model_day.model_version_count',
        'reasons': [(no_rows, "'no rows scored on this day'")]},
    {'name': 'null_score_rate', 'metric': score_monitoring.safe_divide('model_day.null_score_count', 'model_day.row_count'),
        'reasons': [(no_rows, "'no rows scored on this day'")]},
    {'name': 'out_of_bounds_rate', 'metric': score_monitoring.safe_divide('model_day.out_of_bounds_count', 'model_day.row_count'),
        'reasons': [(no_rows, "'no rows scored on this day'")]},
    {'name': 'decision_rate_shift', 'metric': 'abs(model_day.decision_rate - model_day.reference_decision_rate)',
        'reasons': [(no_rows, "'no rows scored on this day'"), ('model_day.decision_rate is null', "'no decision known on this day'"), (no_reference, reference_window)]},
    {'name': 'score_psi', 'metric': 'model_day.psi',
        'reasons': [(no_rows, "'no rows scored on this day'"), ('model_day.valid_score_count = 0', "'no valid scores on this day (all NULL, NaN or out of bounds)'"), ('coalesce(model_day.reference_row_count, 0) = 0', reference_window)]},
    {'name': 'score_ks', 'metric': 'model_day.ks_statistic',
        'reasons': [(no_rows, "'no rows scored on this day'"), ('model_day.valid_score_count = 0', "'no valid scores on this day (all NULL, NaN or out of bounds)'"), ('coalesce(model_day.reference_row_count, 0) = 0', reference_window)]},
] -%}
{%- if has_review_flag -%}
    {%- do model_checks.append({'name': 'review_rate_shift', 'metric': 'abs(model_day.review_rate - model_day.reference_review_rate)',
        'reasons': [(no_rows, "'no rows scored on this day'"), ('model_day.review_rate is null', "'no review_flag known on this day'"), (no_reference, reference_window)]}) -%}
{%- endif -%}
{%- set feature_reasons = [
    ('feature.current_value_count = 0', "concat('feature ', feature.feature_name, ' has no non-NULL values on this day')"),
    ('feature.reference_value_count = 0', "concat('feature ', feature.feature_name, ' has no non-NULL values in the reference window')"),
] -%}
{%- set feature_checks = [
    {'name': 'feature_psi', 'metric': 'feature.psi', 'types': ['numeric', 'categorical'], 'reasons': feature_reasons},
    {'name': 'feature_ks', 'metric': 'feature.ks_statistic', 'types': ['numeric'], 'reasons': feature_reasons},
    {'name': 'feature_missing_rate_increase', 'metric': 'feature.missing_rate - feature.reference_missing_rate', 'types': ['numeric', 'categorical'],
        'reasons': [('feature.reference_missing_rate is null', "concat('feature ', feature.feature_name, ': no reference rows to compare missingness with')")]},
    {'name': 'feature_out_of_range_share', 'metric': 'feature.out_of_reference_range_share', 'types': ['numeric'], 'reasons': feature_reasons},
    {'name': 'feature_new_category_share', 'metric': 'feature.new_category_share', 'types': ['categorical'], 'reasons': feature_reasons},
] -%}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = score_monitoring.type_double() -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),

score_drift as (

    select * from {{ ref('score_drift_daily') }}

),

feature_drift as (

    select * from {{ ref('feature_drift_daily') }}

),

learned_checks as (

    select * from {{ ref('int_learned_checks') }}

),

label_checks as (

    select * from {{ ref('int_label_checks') }}

),
{%- if is_incremental() %}
{%- if 'check_family' not in adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
    {{ exceptions.raise_compiler_error("score_monitoring: " ~ this ~ " was built by a version without the check_family column; run dbt build --full-refresh --select monitoring_checks+ once") }}
{%- endif %}

stored_checks as (

    select * from {{ this }}

),

changed_label_days as (

    select distinct
        label_checks.score_date,
        label_checks.model_name
    from label_checks
    left join stored_checks
        on
            label_checks.score_date = stored_checks.score_date
            and label_checks.model_name = stored_checks.model_name
            and label_checks.check_name = stored_checks.check_name
            and coalesce(label_checks.subject, '') = coalesce(stored_checks.subject, '')
    where
        stored_checks.check_name is null
        or not coalesce(
            label_checks.metric_value = stored_checks.metric_value,
            label_checks.metric_value is null and stored_checks.metric_value is null
        )

),

carried_over_checks as (

    select
        stored_checks.score_date,
        stored_checks.model_name,
        stored_checks.check_family,
        stored_checks.check_name,
        stored_checks.subject,
        stored_checks.metric_value,
        stored_checks.direction,
        stored_checks.warn_threshold,
        stored_checks.fail_threshold,
        stored_checks.status,
        stored_checks.message
    from stored_checks
    inner join changed_label_days
        on
            stored_checks.score_date = changed_label_days.score_date
            and stored_checks.model_name = changed_label_days.model_name
    left join windows
        on
            stored_checks.score_date = windows.score_date
            and stored_checks.model_name = windows.model_name
    where
        windows.score_date is null
        and stored_checks.check_family <> 'label'

),
{%- else %}

changed_label_days as (

    select distinct
        score_date,
        model_name
    from label_checks

),
{%- endif %}

processed_label_checks as (

    select label_checks.*
    from label_checks
    left join windows
        on
            label_checks.score_date = windows.score_date
            and label_checks.model_name = windows.model_name
    left join changed_label_days
        on
            label_checks.score_date = changed_label_days.score_date
            and label_checks.model_name = changed_label_days.model_name
    where windows.score_date is not null or changed_label_days.score_date is not null

),

thresholds as (

    select * from {{ ref('monitoring_thresholds') }}

),

model_days as (

    select
        windows.score_date,
        windows.model_name,
        windows.model_has_scores,
        windows.reference_start,
        windows.reference_end,
        windows.reference_daily_row_count,
        windows.reference_decision_rate,
        windows.reference_review_rate,
        score_health.row_count,
        score_health.duplicate_rows,
        score_health.model_version_count,
        score_health.null_score_count,
        score_health.out_of_bounds_count,
        score_health.valid_score_count,
        score_health.decision_rate,
        score_health.review_rate,
        score_drift.reference_row_count,
        score_drift.psi,
        score_drift.ks_statistic
    from windows
    inner join score_health
        on
            windows.score_date = score_health.score_date
            and windows.model_name = score_health.model_name
    left join score_drift
        on
            windows.score_date = score_drift.score_date
            and windows.model_name = score_drift.model_name

),

processed_feature_drift as (

    select feature_drift.*
    from feature_drift
    inner join windows
        on
            feature_drift.score_date = windows.score_date
            and feature_drift.model_name = windows.model_name

),

check_metrics as (

    {%- for check in model_checks %}
    {{ 'union all' if not loop.first }}
    select
        model_day.score_date,
        model_day.model_name,
        'score' as check_family,
        '{{ check.name }}' as check_name,
        cast(null as {{ string_type }}) as subject,
        cast({{ check.metric }} as {{ double_type }}) as metric_value,
        {{ score_monitoring.first_reason(check.reasons) }} as unavailable_reason
    from model_days as model_day
    {%- endfor %}
    {%- for check in feature_checks %}
    union all
    select
        feature.score_date,
        feature.model_name,
        'feature' as check_family,
        '{{ check.name }}' as check_name,
        feature.feature_name as subject,
        cast({{ check.metric }} as {{ double_type }}) as metric_value,
        {{ score_monitoring.first_reason(check.reasons) }} as unavailable_reason
    from processed_feature_drift as feature
    where feature.feature_type in ('{{ check.types | join("', '") }}')
    {%- endfor %}
    union all
    select * from learned_checks
    union all
    select
        score_date,
        model_name,
        'label' as check_family,
        check_name,
        subject,
        metric_value,
        unavailable_reason
    from processed_label_checks

),

evaluated_checks as (

    {{ score_monitoring.evaluate_checks('check_metrics', 'thresholds') }}

),

evaluated_with_messages as (

    select
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        metric_value,
        direction,
        warn_threshold,
        fail_threshold,
        status,
        case
            when metric_value is null
                then concat(check_name, ' not computable: ', coalesce(unavailable_reason, 'metric is NULL'))
            {#- A reason beside a value is a note on it (a configured model with no rows at all). #}
            when unavailable_reason is not null
                then concat(check_name, ' = ', {{ score_monitoring.format_number('metric_value') }}, ' (', status, '): ', unavailable_reason)
            when status = 'pass'
                then concat(check_name, case when subject is null then '' else concat(' [', subject, ']') end, ' = ', {{ score_monitoring.format_number('metric_value') }}, ': within thresholds')
            else concat(
                check_name, case when subject is null then '' else concat(' [', subject, ']') end, ' = ', {{ score_monitoring.format_number('metric_value') }},
                ' is ', direction, ' the ', status, ' threshold ',
                {{ score_monitoring.format_number("case when status = 'fail' then fail_threshold else warn_threshold end") }}
            )
        end as message
    from evaluated_checks

),

final as (

    select * from evaluated_with_messages
    {%- if is_incremental() %}
    union all
    select * from carried_over_checks
    {%- endif %}

)

select * from final
