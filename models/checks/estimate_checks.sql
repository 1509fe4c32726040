{#- The estimated performance checks (check_registry('estimate')) of every processed
    (score_date, model_name), in the long format before thresholds: the estimated AUC, precision
    and recall of estimated_performance_daily, judged on the day itself, before any label. An
    undefined estimate (no valid scores, one class expected) is NULL with the reason. -#}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

estimated_performance as (

    select * from {{ ref('estimated_performance_daily') }}

),

processed_estimates as (

    select estimated_performance.*
    from estimated_performance
    inner join windows
        on
            estimated_performance.score_date = windows.score_date
            and estimated_performance.model_name = windows.model_name

),

final as (

    {{ score_monitoring.check_rows(score_monitoring.check_registry('estimate'), 'processed_estimates') }}

)

select * from final
