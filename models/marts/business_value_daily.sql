{{ config(materialized='table', partition_by=score_monitoring.score_date_partition(), meta={'monitoring_state': false}) }}
{#- Contract table business_value_daily: the money of each score date's decisions
    (decision_value()): realized from the labelled confusion counts once the cohort is due,
    estimated from estimated_performance_daily's expected counts from the day itself. A table
    rebuilt from three marts' daily rows on every run (one row per day and model), so a cohort's
    realized value appears when it comes due and follows its late labels. -#}

with score_health as (

    select * from {{ ref('score_health_daily') }}

),

estimated_performance as (

    select * from {{ ref('estimated_performance_daily') }}

),

model_performance as (

    select * from {{ ref('model_performance_daily') }}

),

values_by_basis as (

    select
        score_health.score_date,
        score_health.model_name,
        score_health.decision_count,
        score_health.review_count,
        model_performance.labelled_count,
        case when model_performance.decision_known_count > 0 then
            {{ score_monitoring.decision_value(
                'model_performance.true_positive_count', 'model_performance.false_positive_count', 'model_performance.false_negative_count',
                'score_health.decision_count', 'score_health.review_count', 'score_health.model_name'
            ) }}
        end as realized_value,
        {{ score_monitoring.decision_value(
            'estimated_performance.expected_tp', 'estimated_performance.expected_fp', 'estimated_performance.expected_fn',
            'score_health.decision_count', 'score_health.review_count', 'score_health.model_name'
        ) }} as estimated_value
    from score_health
    left join estimated_performance
        on
            score_health.score_date = estimated_performance.score_date
            and score_health.model_name = estimated_performance.model_name
    left join model_performance
        on
            score_health.score_date = model_performance.score_date
            and score_health.model_name = model_performance.model_name

),

final as (

    select
        score_date,
        model_name,
        decision_count,
        review_count,
        labelled_count,
        realized_value,
        estimated_value,
        case
            when realized_value is not null then 'realized'
            when estimated_value is not null then 'estimated'
        end as value_basis,
        {{ score_monitoring.safe_divide('coalesce(realized_value, estimated_value)', 'decision_count') }} as value_per_decision
    from values_by_basis

)

select * from final
