{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table score_drift_daily: the score distribution of each processed day against its
    reference window (PSI, JS distance, KS), with the reference volumes the volume and
    decision-rate checks compare against. -#}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

version_windows as (

    select * from {{ ref('int_version_windows') }}

),

score_drift as (

    select * from {{ ref('int_drift_summary') }}
    where feature_name = 'score'

),

final as (

    select
        windows.score_date,
        windows.model_name,
        windows.reference_start,
        windows.reference_end,
        score_drift.reference_value_count as reference_row_count,
        score_drift.current_value_count as current_row_count,
        score_drift.bin_count,
        score_drift.psi,
        score_drift.js_distance,
        score_drift.ks_statistic,
        score_drift.ks_p_value,
        score_drift.psi_critical_value,
        windows.reference_day_count,
        windows.reference_daily_row_count,
        windows.reference_decision_rate,
        windows.reference_review_rate,
        version_windows.current_versions,
        version_windows.reference_versions,
        version_windows.is_version_change
    from windows
    left join score_drift
        on
            windows.score_date = score_drift.score_date
            and windows.model_name = score_drift.model_name
    left join version_windows
        on
            windows.score_date = version_windows.score_date
            and windows.model_name = version_windows.model_name

)

select * from final
