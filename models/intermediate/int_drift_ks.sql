{#- Exact two-sample KS statistic of every numeric drift subject, current day against reference. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}
    where feature_type = 'numeric'

),

ks_statistics as (

    {{ score_monitoring.two_sample_ks('drift_values', ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }} -- noqa: PRS

)

select * from ks_statistics
