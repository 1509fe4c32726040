{#- Per processed (score_date, model_name) and drift subject: the rows and the non-NULL values on
    each side, the n and m every drift metric and missing rate is over. In drift_reference_mode
    'profile' the reference side is the profile's totals. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

reference_profile as (

    select * from {{ ref('int_reference_profile') }}

),

row_counts as (

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

),

profile_counts as (

    select distinct
        windows.score_date,
        reference_profile.model_name,
        reference_profile.feature_name,
        0 as current_row_count,
        0 as current_value_count,
        reference_profile.reference_total_count,
        reference_profile.reference_value_count
    from reference_profile
    inner join windows
        on reference_profile.model_name = windows.model_name

),

value_counts as (

    select
        score_date,
        model_name,
        feature_name,
        cast(sum(current_row_count) as {{ dbt.type_bigint() }}) as current_row_count,
        cast(sum(current_value_count) as {{ dbt.type_bigint() }}) as current_value_count,
        cast(sum(reference_total_count) as {{ dbt.type_bigint() }}) as reference_total_count,
        cast(sum(reference_value_count) as {{ dbt.type_bigint() }}) as reference_value_count
    from (
        select * from row_counts
        union all
        select * from profile_counts
    ) as counted_values
    group by score_date, model_name, feature_name

)

select * from value_counts
