{#- The score checks (check_registry('score')) of every processed (score_date, model_name), in the
    long format before thresholds. -#}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),

score_drift as (

    select * from {{ ref('score_drift_daily') }}

),

version_windows as (

    select * from {{ ref('int_version_windows') }}

),

model_days as (

    select
        windows.score_date,
        windows.model_name,
        windows.model_has_scores,
        windows.reference_start,
        windows.reference_end,
        windows.reference_daily_row_count,
        windows.reference_decision_rate,
        windows.reference_review_rate,
        score_health.row_count,
        score_health.duplicate_rows,
        score_health.model_version_count,
        score_health.null_score_count,
        score_health.out_of_bounds_count,
        score_health.valid_score_count,
        score_health.decision_rate,
        score_health.review_rate,
        score_health.latency_p95,
        score_health.error_count,
        score_health.error_rate,
        score_drift.reference_row_count,
        score_drift.current_row_count,
        score_drift.psi,
        score_drift.psi_critical_value,
        score_drift.ks_statistic,
        score_drift.ks_p_value,
        version_windows.is_version_change,
        version_windows.current_versions,
        version_windows.reference_versions
    from windows
    inner join score_health
        on
            windows.score_date = score_health.score_date
            and windows.model_name = score_health.model_name
    left join score_drift
        on
            windows.score_date = score_drift.score_date
            and windows.model_name = score_drift.model_name
    left join version_windows
        on
            windows.score_date = version_windows.score_date
            and windows.model_name = version_windows.model_name

),

final as (

    {{ score_monitoring.check_rows(score_monitoring.check_registry('score'), 'model_days') }}

)

select * from final
