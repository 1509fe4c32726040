{{ config(materialized='table', meta={'monitoring_state': false, 'contract_table': true}) }}
{#- Contract table monitoring_alerts: one row per alert, summarising its breach runs in
    int_alert_runs (where the open / persist / resolve / reopen rules live). Rebuilt from
    monitoring_checks on every run, so re-runs never duplicate an alert and replaced days re-derive
    the same alerts. -#}
{%- set partition = 'model_name, check_name, subject_key' -%}

with alert_runs as (

    select * from {{ ref('int_alert_runs') }}

),

ranked_breaches as (

    select
        *,
        row_number() over (partition by {{ partition }}, alert_number order by score_date desc) as recency_in_alert
    from alert_runs
    where is_breach

),

alerts as (

    select
        alert_id,
        model_name,
        check_name,
        max(subject) as subject,
        alert_number,
        min(score_date) as first_seen,
        max(score_date) as last_seen,
        count(*) as consecutive_runs,
        cast(sum(reopens_alert) as {{ dbt.type_bigint() }}) as reopened_count,
        case when {{ score_monitoring.count_where("status = 'fail'") }} > 0 then 'fail' else 'warn' end as worst_status,
        min(case when status = 'warn' then score_date end) as first_warn_date,
        min(case when status = 'fail' then score_date end) as first_fail_date
    from ranked_breaches
    group by alert_id, model_name, check_name, subject_key, alert_number

),

latest_breach_details as (

    select
        model_name,
        check_name,
        subject_key,
        alert_number,
        status as latest_status,
        metric_value as latest_metric_value,
        message as latest_message,
        next_pass_date as resolved_on
    from ranked_breaches
    where recency_in_alert = 1

),

final as (

    select
        alerts.alert_id,
        alerts.model_name,
        alerts.check_name,
        alerts.subject,
        alerts.first_seen,
        alerts.last_seen,
        alerts.consecutive_runs,
        alerts.reopened_count,
        alerts.worst_status,
        latest_breach_details.latest_status,
        latest_breach_details.latest_metric_value,
        latest_breach_details.latest_message,
        latest_breach_details.resolved_on,
        coalesce(alerts.first_fail_date > alerts.first_warn_date, false) as is_escalated,
        case when alerts.first_fail_date > alerts.first_warn_date then alerts.first_fail_date end as escalated_on,
        case when latest_breach_details.resolved_on is null then 'open' else 'resolved' end as alert_state
    from alerts
    inner join latest_breach_details
        on
            alerts.model_name = latest_breach_details.model_name
            and alerts.check_name = latest_breach_details.check_name
            and coalesce(alerts.subject, '') = latest_breach_details.subject_key
            and alerts.alert_number = latest_breach_details.alert_number

)

select * from final
