{#- Current and reference row counts of every category of every categorical feature, before the
    top-K cap: the input of the categorical bins and of new_category_share. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

category_counts as (

    select
        score_date,
        model_name,
        feature_name,
        category_value,
        {{ score_monitoring.count_where("side = 'current'") }} as current_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_count
    from drift_values
    where
        feature_type = 'categorical'
        and category_value is not null
    group by score_date, model_name, feature_name, category_value

)

select * from category_counts
