{{ config(materialized='view', meta={'monitoring_state': false}) }}
{#- The release gate: the warn and fail checks of the monitoring date, plus the label checks of
    the cohort that became due on it (score_date = monitoring date - the model's label_horizon_days); late
    labels for older cohorts update history without failing a new build. A leaf on purpose: the
    gate's tests fail the build here, where no monitoring table is downstream to be skipped. -#}
{%- set monitoring_date = score_monitoring.date_literal(score_monitoring.monitoring_date()) -%}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

monitoring_date_breaches as (

    select
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        status,
        metric_value,
        warn_threshold,
        fail_threshold,
        message
    from checks
    where
        status in ('warn', 'fail')
        and (
            score_date = {{ monitoring_date }}
            or (check_family = 'label' and score_date = {{ score_monitoring.add_days(monitoring_date, '-' ~ score_monitoring.setting_sql('label_horizon_days', 'model_name')) }})
        )

)

select * from monitoring_date_breaches
