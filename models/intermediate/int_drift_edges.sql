{#- Reference deciles of every numeric drift subject: the bin edges, with duplicate edges
    collapsed to NULL (quantiles are sorted, so duplicates are neighbours). -#}

with reference_deciles as (

    {{ score_monitoring.reference_deciles(
        "(select score_date, model_name, feature_name, numeric_value from " ~ ref('int_drift_values') ~ " where side = 'reference' and feature_type = 'numeric')",
        ['score_date', 'model_name', 'feature_name'],
        'numeric_value'
    ) }}

),

collapsed_edges as (

    select
        score_date,
        model_name,
        feature_name,
        value_count as reference_value_count,
        value_min as reference_min,
        value_max as reference_max,
        {{ score_monitoring.collapsed_decile_edges() }}
    from reference_deciles

)

select * from collapsed_edges
