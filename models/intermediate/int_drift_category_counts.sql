{#- Current and reference row counts of every category of every categorical feature, before the
    top-K cap: the input of the categorical bins and of new_category_share. In
    drift_reference_mode 'profile' the reference counts are the profile's. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

reference_profile as (

    select * from {{ ref('int_reference_profile') }}

),

value_counts as (

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

),

profile_counts as (

    select
        windows.score_date,
        reference_profile.model_name,
        reference_profile.feature_name,
        reference_profile.category_value,
        0 as current_count,
        reference_profile.reference_count
    from reference_profile
    inner join windows
        on reference_profile.model_name = windows.model_name
    where reference_profile.feature_type = 'categorical'

),

category_counts as (

    select
        score_date,
        model_name,
        feature_name,
        category_value,
        cast(sum(current_count) as {{ dbt.type_bigint() }}) as current_count,
        cast(sum(reference_count) as {{ dbt.type_bigint() }}) as reference_count
    from (
        select * from value_counts
        union all
        select * from profile_counts
    ) as counted_categories
    group by score_date, model_name, feature_name, category_value

)

select * from category_counts
