{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table score_bins_daily: the reference-decile bins of the score with current and
    reference counts and shares, the input of the score PSI and JS distance. -#}

with score_bins as (

    select * from {{ ref('int_drift_numeric_bins') }}
    where feature_name = 'score'

),

final as (

    select
        score_date,
        model_name,
        bin_index,
        lower_edge,
        upper_edge,
        current_count,
        reference_count,
        current_share,
        reference_share
    from score_bins

)

select * from final
