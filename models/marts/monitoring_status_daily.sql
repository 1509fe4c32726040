{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table monitoring_status_daily: the worst check status and the status counts per
    (score_date, model_name). Recomputed for every date on each run (the check table is small),
    so a date whose label checks changed with late labels gets its new status too. -#}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

status_counts as (

    select
        checks.score_date,
        checks.model_name,
        {{ score_monitoring.count_where("checks.status = 'pass'") }} as pass_count,
        {{ score_monitoring.count_where("checks.status = 'warn'") }} as warn_count,
        {{ score_monitoring.count_where("checks.status = 'fail'") }} as fail_count
    from checks
    group by checks.score_date, checks.model_name

),

final as (

    select
        score_date,
        model_name,
        case
            when fail_count > 0 then 'fail'
            when warn_count > 0 then 'warn'
            else 'pass'
        end as overall_status,
        pass_count,
        warn_count,
        fail_count
    from status_counts

)

select * from final
