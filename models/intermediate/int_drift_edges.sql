{#- Reference deciles of every numeric drift subject: the bin edges, with duplicate edges
    collapsed to NULL (quantiles are sorted, so duplicates are neighbours). A model in
    drift_reference_mode 'profile' gets the edges of its profile (int_reference_profile) on every
    processed day instead. -#}

with reference_deciles as (

    {{ score_monitoring.reference_deciles(
        "(select score_date, model_name, feature_name, numeric_value from " ~ ref('int_drift_values') ~ " where side = 'reference' and feature_type = 'numeric')",
        ['score_date', 'model_name', 'feature_name'],
        'numeric_value'
    ) }}

),

windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

reference_profile as (

    select * from {{ ref('int_reference_profile') }}

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

),

profile_edges as (

    select
        windows.score_date,
        reference_profile.model_name,
        reference_profile.feature_name,
        max(reference_profile.reference_value_count) as reference_value_count,
        max(reference_profile.reference_min) as reference_min,
        max(reference_profile.reference_max) as reference_max
        {%- for edge_number in range(1, 10) %},
        max(case when reference_profile.bin_index = {{ edge_number }} then reference_profile.lower_edge end) as edge_{{ edge_number }}
        {%- endfor %}
    from reference_profile
    inner join windows
        on reference_profile.model_name = windows.model_name
    where reference_profile.feature_type = 'numeric'
    group by windows.score_date, reference_profile.model_name, reference_profile.feature_name

),

final as (

    select * from collapsed_edges
    union all
    select * from profile_edges

)

select * from final
