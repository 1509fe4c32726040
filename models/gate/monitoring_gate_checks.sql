{#- The one gate rule: every check with gate_date, the monitoring date whose release gate judges
    it. A score, feature or learned check is judged on its own score_date; a label check on the
    day its cohort came due under the model's own label_horizon_days (score_date + horizon), so
    late labels for older cohorts update history without failing a new build. The gate, its
    per-model status and the report read this view. -#}

with checks as (

    select * from {{ ref('monitoring_checks') }}

),

final as (

    select
        case
            when check_family = 'label'
                then {{ score_monitoring.add_days('score_date', score_monitoring.setting_sql('label_horizon_days', 'model_name')) }}
            else score_date
        end as gate_date,
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

)

select * from final
