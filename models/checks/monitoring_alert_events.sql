{{ config(materialized='table', meta={'monitoring_state': false, 'contract_table': true}) }}
{#- One row per change of an alert (int_alert_runs): opened, reopened, escalated (its first fail
    after a warn) or resolved, with the check's value, thresholds and message that day: what
    scripts/notify_alerts.py sends. A label check's change becomes known when its cohort is due
    (score_date + label_horizon_days), so known_on says from which monitoring date it can be sent. -#}
{%- set string_type = dbt.type_string() -%}

with alert_runs as (

    select * from {{ ref('int_alert_runs') }}

),

final as (

    select
        concat(alert_id, '|', alert_event, '|', cast(score_date as {{ string_type }})) as event_id,
        score_date as event_date,
        case
            when check_family = 'label'
                then {{ score_monitoring.add_days('score_date', score_monitoring.setting_sql('label_horizon_days', 'model_name')) }}
            else score_date
        end as known_on,
        alert_event as event,  -- noqa: RF04
        alert_id,
        model_name,
        check_name,
        subject,
        alert_first_seen as first_seen,
        status,
        worst_status_so_far as worst_status,
        metric_value,
        direction,
        warn_threshold,
        fail_threshold,
        message
    from alert_runs
    where alert_event is not null

)

select * from final
