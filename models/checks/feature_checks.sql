{#- The feature checks (check_registry('feature')) of every processed (score_date, model_name),
    one per feature of the model and check that applies to its type, in the long format before
    thresholds. -#}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

feature_drift as (

    select * from {{ ref('feature_drift_daily') }}

),

version_windows as (

    select * from {{ ref('int_version_windows') }}

),

processed_feature_drift as (

    select
        feature_drift.*,
        version_windows.is_version_change,
        version_windows.current_versions,
        version_windows.reference_versions
    from feature_drift
    inner join windows
        on
            feature_drift.score_date = windows.score_date
            and feature_drift.model_name = windows.model_name
    left join version_windows
        on
            feature_drift.score_date = version_windows.score_date
            and feature_drift.model_name = version_windows.model_name

),

final as (

    {{ score_monitoring.check_rows(score_monitoring.check_registry('feature'), 'processed_feature_drift') }}

)

select * from final
