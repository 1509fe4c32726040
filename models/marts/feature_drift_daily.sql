{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table feature_drift_daily: drift and missingness of every configured feature per
    processed (score_date, model_name) against the reference window. -#}

with feature_drift as (

    select * from {{ ref('int_drift_summary') }}
    where feature_name <> 'score'

),

final as (

    select
        score_date,
        model_name,
        feature_name,
        feature_type,
        reference_start,
        reference_end,
        current_value_count,
        reference_value_count,
        bin_count,
        psi,
        js_distance,
        ks_statistic,
        ks_p_value,
        psi_critical_value,
        l_inf,
        missing_rate,
        reference_missing_rate,
        new_category_share,
        out_of_reference_range_share
    from feature_drift

)

select * from final
