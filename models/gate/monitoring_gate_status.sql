{#- Per monitoring date (gate_date) and model: the worst status and the counts over the checks the
    release gate judges that day (monitoring_gate_checks), by the one status rule. -#}

with gate_checks as (

    select * from {{ ref('monitoring_gate_checks') }}

),

final as (

    select
        gate_date,
        model_name,
        {{ score_monitoring.status_rollup('status') }}
    from gate_checks
    group by gate_date, model_name

)

select * from final
