{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table monitoring_checks: the check families (score_checks, feature_checks,
    segment_checks, estimate_checks, operation_checks, version_checks, learned_checks, label_checks) unioned, with the thresholds that apply (named model over '*',
    named subject over none), the status and a message. A metric that cannot be computed is a warn
    that says why; a drift breach within sampling noise is a pass whose message gives the critical
    value or p-value and n. Label checks belong to their cohort's score_date: when late labels change an
    older cohort, its label checks are replaced and its other checks carried over unchanged from
    this table. -#}

with score_checks as (

    select * from {{ ref('score_checks') }}

),

feature_checks as (

    select * from {{ ref('feature_checks') }}

),

segment_checks as (

    select * from {{ ref('segment_checks') }}

),

estimate_checks as (

    select * from {{ ref('estimate_checks') }}

),

operation_checks as (

    select * from {{ ref('operation_checks') }}

),

version_checks as (

    select * from {{ ref('version_checks') }}

),

learned_checks as (

    select * from {{ ref('learned_checks') }}

),

label_checks as (

    select * from {{ ref('label_checks') }}

),

-- The (score_date, model_name) this run processes: score_checks has rows for each.
processed_days as (

    select distinct
        score_date,
        model_name
    from score_checks

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
    left join processed_days
        on
            stored_checks.score_date = processed_days.score_date
            and stored_checks.model_name = processed_days.model_name
    where
        processed_days.score_date is null
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
    left join processed_days
        on
            label_checks.score_date = processed_days.score_date
            and label_checks.model_name = processed_days.model_name
    left join changed_label_days
        on
            label_checks.score_date = changed_label_days.score_date
            and label_checks.model_name = changed_label_days.model_name
    where processed_days.score_date is not null or changed_label_days.score_date is not null

),

thresholds as (

    select * from {{ ref('monitoring_thresholds') }}

),

check_metrics as (

    select * from score_checks
    union all
    select * from feature_checks
    union all
    select * from segment_checks
    union all
    select * from estimate_checks
    union all
    select * from operation_checks
    union all
    select * from version_checks
    union all
    select * from learned_checks
    union all
    select * from processed_label_checks

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
        concat(case
            {#- A seed row without thresholds keeps the metric and never breaches (check_status()). #}
            when warn_threshold is null and fail_threshold is null
                then concat(
                    case
                        when metric_value is null
                            then concat(check_name, ' not computable: ', coalesce(unavailable_reason, 'metric is NULL'))
                        else concat(
                            check_name, case when subject is null then '' else concat(' [', subject, ']') end,
                            ' = ', {{ score_monitoring.format_number('metric_value') }}
                        )
                    end,
                    ' (no thresholds set: the check is off)'
                )
            when metric_value is null
                then concat(check_name, ' not computable: ', coalesce(unavailable_reason, 'metric is NULL'))
            {#- A reason beside a value is a note on it (a configured model with no rows at all). #}
            when unavailable_reason is not null
                then concat(check_name, ' = ', {{ score_monitoring.format_number('metric_value') }}, ' (', status, '): ', unavailable_reason)
            when status = 'pass' and threshold_status <> 'pass'
                then concat(
                    check_name, case when subject is null then '' else concat(' [', subject, ']') end,
                    ' = ', {{ score_monitoring.format_number('metric_value') }}, ' is ', direction, ' the ', threshold_status, ' threshold ',
                    {{ score_monitoring.format_number("case when threshold_status = 'fail' then fail_threshold else warn_threshold end") }},
                    ' but ', noise_note
                )
            when status = 'pass'
                then concat(
                    check_name, case when subject is null then '' else concat(' [', subject, ']') end,
                    ' = ', {{ score_monitoring.format_number('metric_value') }}, ': within thresholds'
                )
            else concat(
                check_name, case when subject is null then '' else concat(' [', subject, ']') end, ' = ', {{ score_monitoring.format_number('metric_value') }},
                ' is ', direction, ' the ', threshold_status, ' threshold ',
                {{ score_monitoring.format_number("case when threshold_status = 'fail' then fail_threshold else warn_threshold end") }}
            )
        end,
        {#- A model version change caps a drift check at warn (version_change_cap()). #}
        case
            when cap_note is null then ''
            when threshold_status = 'fail' then concat(' (', cap_note, ': at most warn)')
            else concat(' (', cap_note, ')')
        end) as message
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
