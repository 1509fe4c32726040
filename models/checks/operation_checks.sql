{#- The operation checks (check_registry('operation')) of every processed (score_date,
    model_name), in the long format before thresholds: capacity use (operating_point_daily) and
    value per decision on the day itself (business_value_daily's estimated value). -#}
{%- set checks = score_monitoring.check_registry('operation') -%}

{%- if not checks %}
{#- No model has a capacity, value or cost: an empty view with the long-format columns. #}
{{ score_monitoring.no_check_rows('operation') }}
{%- else %}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),

operating_point as (

    select * from {{ ref('operating_point_daily') }}

),

business_value as (

    select * from {{ ref('business_value_daily') }}

),

operation_days as (

    select
        windows.score_date,
        windows.model_name,
        score_health.row_count,
        operating_point.decision_count,
        operating_point.decision_capacity_use,
        operating_point.review_count,
        operating_point.review_capacity_use,
        business_value.estimated_value
    from windows
    left join score_health
        on
            windows.score_date = score_health.score_date
            and windows.model_name = score_health.model_name
    left join operating_point
        on
            windows.score_date = operating_point.score_date
            and windows.model_name = operating_point.model_name
    left join business_value
        on
            windows.score_date = business_value.score_date
            and windows.model_name = business_value.model_name

),

final as (

    {{ score_monitoring.check_rows(checks, 'operation_days') }}

)

select * from final
{%- endif %}
