{#- Per processed (score_date, model_name) and drift subject: the rows and the non-NULL values on
    each side, the n and m every drift metric and missing rate is over. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

value_counts as (

    select
        score_date,
        model_name,
        feature_name,
        {{ score_monitoring.count_where("side = 'current'") }} as current_row_count,
        {{ score_monitoring.count_where("side = 'current' and (numeric_value is not null or category_value is not null)") }} as current_value_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_total_count,
        {{ score_monitoring.count_where("side = 'reference' and (numeric_value is not null or category_value is not null)") }} as reference_value_count
    from drift_values
    group by score_date, model_name, feature_name

)

select * from value_counts
