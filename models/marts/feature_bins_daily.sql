{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table feature_bins_daily: the bins of every configured feature (reference deciles
    for numeric features, categories for categorical ones) with counts and shares. -#}

with numeric_feature_bins as (

    select * from {{ ref('int_drift_numeric_bins') }}
    where feature_name <> 'score'

),

categorical_feature_bins as (

    select * from {{ ref('int_drift_categorical_bins') }}

),

final as (

    select
        score_date,
        model_name,
        feature_name,
        'numeric' as feature_type,
        bin_index,
        cast(null as {{ dbt.type_string() }}) as category_value,
        lower_edge,
        upper_edge,
        current_count,
        reference_count,
        current_share,
        reference_share
    from numeric_feature_bins
    union all
    select
        score_date,
        model_name,
        feature_name,
        'categorical' as feature_type,
        bin_index,
        category_value,
        cast(null as {{ score_monitoring.type_double() }}) as lower_edge,
        cast(null as {{ score_monitoring.type_double() }}) as upper_edge,
        current_count,
        reference_count,
        current_share,
        reference_share
    from categorical_feature_bins

)

select * from final
