{#- Reference deciles of every numeric drift subject: the bin edges, with duplicate edges
    collapsed to NULL (quantiles are sorted, so duplicates are neighbours). -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

reference_deciles as (

    select
        score_date,
        model_name,
        feature_name,
        count(numeric_value) as reference_value_count,
        min(numeric_value) as reference_min,
        max(numeric_value) as reference_max,
        {{ score_monitoring.reference_deciles('numeric_value') }}
    from drift_values
    where
        side = 'reference'
        and feature_type = 'numeric'
        and numeric_value is not null
    group by score_date, model_name, feature_name

),

collapsed_edges as (

    select
        score_date,
        model_name,
        feature_name,
        reference_value_count,
        reference_min,
        reference_max,
        {{ score_monitoring.collapsed_decile_edges() }}
    from reference_deciles

)

select * from collapsed_edges
