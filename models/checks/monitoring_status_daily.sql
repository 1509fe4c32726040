{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table monitoring_status_daily: the worst check status and the status counts per
    (score_date, model_name), by the one status rule (status_rollup()). Recomputed for every date on each run (the check table is small),
    so a date whose label checks changed with late labels gets its new status too. -#}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

final as (

    select
        score_date,
        model_name,
        {{ score_monitoring.status_rollup('status') }}
    from checks
    group by score_date, model_name

)

select * from final
