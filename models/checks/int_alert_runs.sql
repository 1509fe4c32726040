{#- Every run of every check (model, check, subject) over the check history, with the alert it
    belongs to: an alert opens when a check turns warn or fail, stays one alert while it persists,
    resolves on the first passing run, and reopens (same alert) when the check breaches again within
    var alert_cooldown_days of resolving. The one place these rules live: monitoring_alerts
    summarises the breach runs, monitoring_alert_events lists the changes. -#}
{%- set partition = 'model_name, check_name, subject_key' -%}
{%- set cooldown_days = score_monitoring.setting('alert_cooldown_days') -%}
{%- set string_type = dbt.type_string() -%}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

check_runs as (

    select
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        coalesce(subject, '') as subject_key,
        status,
        metric_value,
        direction,
        warn_threshold,
        fail_threshold,
        message,
        status <> 'pass' as is_breach,
        lag(status) over (partition by {{ partition }} order by score_date) as previous_status,
        min(case when status = 'pass' then score_date end) over (
            partition by {{ partition }} order by score_date rows between 1 following and unbounded following
        ) as next_pass_date
    from checks

),

earlier_breaches as (

    select
        *,
        max(case when is_breach then score_date end) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and 1 preceding
        ) as previous_breach_date,
        max(case when is_breach then next_pass_date end) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and 1 preceding
        ) as previous_resolution_date
    from check_runs

),

classified_runs as (

    select
        *,
        case
            when not is_breach then 0
            when previous_breach_date is null then 1
            when previous_resolution_date is null or previous_resolution_date > score_date then 0
            when {{ score_monitoring.days_between('previous_resolution_date', 'score_date') }} > {{ cooldown_days }} then 1
            else 0
        end as opens_alert,
        case
            when
                is_breach
                and previous_resolution_date is not null
                and previous_resolution_date < score_date
                and {{ score_monitoring.days_between('previous_resolution_date', 'score_date') }} <= {{ cooldown_days }} then 1
            else 0
        end as reopens_alert
    from earlier_breaches

),

numbered_runs as (

    select
        *,
        sum(opens_alert) over (
            partition by {{ partition }} order by score_date rows between unbounded preceding and current row
        ) as alert_number
    from classified_runs

),

alert_runs as (

    select
        *,
        min(case when is_breach then score_date end) over (partition by {{ partition }}, alert_number) as alert_first_seen,
        sum(case when status = 'warn' then 1 else 0 end) over (
            partition by {{ partition }}, alert_number order by score_date rows between unbounded preceding and 1 preceding
        ) as earlier_warn_runs,
        sum(case when status = 'fail' then 1 else 0 end) over (
            partition by {{ partition }}, alert_number order by score_date rows between unbounded preceding and 1 preceding
        ) as earlier_fail_runs
    from numbered_runs

),

final as (

    select
        concat(
            model_name, '|', check_name, '|', subject_key, '|', cast(alert_first_seen as {{ string_type }})
        ) as alert_id,
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        subject_key,
        alert_number,
        alert_first_seen,
        status,
        metric_value,
        direction,
        warn_threshold,
        fail_threshold,
        message,
        is_breach,
        next_pass_date,
        reopens_alert,
        case
            when opens_alert = 1 then 'opened'
            when reopens_alert = 1 then 'reopened'
            {#- The alert's first fail after a warn: monitoring_alerts.escalated_on. #}
            when status = 'fail' and coalesce(earlier_warn_runs, 0) > 0 and coalesce(earlier_fail_runs, 0) = 0 then 'escalated'
            when not is_breach and previous_status in ('warn', 'fail') then 'resolved'
        end as alert_event,
        case
            when status = 'fail' or coalesce(earlier_fail_runs, 0) > 0 then 'fail'
            else 'warn'
        end as worst_status_so_far
    from alert_runs
    where alert_number > 0

)

select * from final
