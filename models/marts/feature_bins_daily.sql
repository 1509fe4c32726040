{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table feature_bins_daily: the bins of every configured feature (reference deciles
    for numeric features, categories for categorical ones) with counts and shares. -#}

with feature_bins as (

    select * from {{ ref('int_drift_bins') }}
    where feature_name <> 'score'

),

final as (

    select
        score_date,
        model_name,
        feature_name,
        feature_type,
        bin_index,
        category_value,
        lower_edge,
        upper_edge,
        current_count,
        reference_count,
        current_share,
        reference_share
    from feature_bins

)

select * from final
