{#- The release gate: the warn and fail checks judged on the monitoring date (monitoring_gate_checks).
    A leaf on purpose: the gate's tests fail the build here, where no monitoring table is
    downstream to be skipped. -#}
{%- set monitoring_date = score_monitoring.date_literal(score_monitoring.monitoring_date()) -%}

with gate_checks as (

    select * from {{ ref('monitoring_gate_checks') }}

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
    from gate_checks
    where
        gate_date = {{ monitoring_date }}
        and status in ('warn', 'fail')

)

select * from monitoring_date_breaches
