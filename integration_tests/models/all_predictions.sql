{#- The team's own model: both prediction logs in the contract's shape, each model's own columns
    kept and the other model's left NULL. score-monitoring reads it with var scores_model. -#}
with churn as (

    select * from {{ source('acme_raw', 'churn_predictions') }}

),

activation as (

    select * from {{ source('acme_raw', 'activation_predictions') }}

),

final as (

    select
        score_date,
        model_name,
        model_version,
        entity_id,
        score,
        tenure_months,
        monthly_spend,
        plan_type,
        region,
        cast(null as {{ dbt.type_float() }}) as sessions_7d,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as signup_channel
    from churn
    union all
    select
        score_date,
        model_name,
        model_version,
        entity_id,
        score,
        cast(null as {{ dbt.type_float() }}) as tenure_months,
        cast(null as {{ dbt.type_float() }}) as monthly_spend,
        cast(null as {{ dbt.type_string() }}) as plan_type,
        cast(null as {{ dbt.type_string() }}) as region,
        sessions_7d,
        device_type,
        signup_channel
    from activation

)

select * from final
