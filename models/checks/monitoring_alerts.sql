{{ config(materialized='table', meta={'monitoring_state': false, 'contract_table': true}) }}
{#- Alert lifecycle over the check history: an alert opens when a check (model, check, subject)
    turns warn or fail, stays one row while it persists, escalates when warn becomes fail, resolves
    on the first passing run, and reopens (same alert) when it breaches again within
    var alert_cooldown_days of resolving. Rebuilt from monitoring_checks on every run, so re-runs
    never duplicate an alert and replaced days re-derive the same alerts. -#}
{%- set partition = 'model_name, check_name, subject_key' -%}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

check_runs as (

    select
        score_date,
        model_name,
        check_name,
        subject,
        coalesce(subject, '') as subject_key,
        status,
        metric_value,
        message,
        status <> 'pass' as is_breach,
        min(case when status = 'pass' then score_date end) over (
            partition by {{ partition }} order by score_date rows between 1 following and unbounded following
        ) as next_pass_date
    from checks

),

breaches as (

    select
        *,
        max(score_date) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and 1 preceding
        ) as previous_breach_date,
        max(next_pass_date) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and 1 preceding
        ) as previous_resolution_date
    from check_runs
    where is_breach

),

classified_breaches as (

    select
        *,
        case
            when previous_breach_date is null then 1
            when previous_resolution_date is null or previous_resolution_date > score_date then 0
            when {{ score_monitoring.days_between('previous_resolution_date', 'score_date') }} > {{ score_monitoring.setting('alert_cooldown_days') }} then 1
            else 0
        end as opens_alert,
        case
            when previous_resolution_date is not null
                and previous_resolution_date < score_date
                and {{ score_monitoring.days_between('previous_resolution_date', 'score_date') }}
                <= {{ score_monitoring.setting('alert_cooldown_days') }} then 1
            else 0
        end as reopens_alert
    from breaches

),

numbered_breaches as (

    select
        *,
        sum(opens_alert) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and current row
        ) as alert_number
    from classified_breaches

),

ranked_breaches as (

    select
        *,
        row_number() over (partition by {{ partition }}, alert_number order by score_date desc) as recency_in_alert
    from numbered_breaches

),

alerts as (

    select
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
    group by model_name, check_name, subject_key, alert_number

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
        concat(
            alerts.model_name, '|', alerts.check_name, '|', coalesce(alerts.subject, ''), '|',
            cast(alerts.first_seen as {{ dbt.type_string() }})
        ) as alert_id,
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
        coalesce(alerts.first_fail_date > alerts.first_warn_date, false) as is_escalated,
        case when alerts.first_fail_date > alerts.first_warn_date then alerts.first_fail_date end as escalated_on,
        latest_breach_details.resolved_on,
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
