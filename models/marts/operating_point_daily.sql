{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table operating_point_daily: the day's decisions and reviews against the model's
    capacities (per-model settings decision_capacity, review_capacity: rows per day), and the
    threshold that would fill the decision capacity exactly, per processed (score_date,
    model_name). Scores are read, from scan_start_date('current') to the monitoring date, only
    for models with a decision_capacity. -#}
{%- set capacity_scopes = [] -%}
{%- for scope, settings in score_monitoring.monitored_model_settings().items() if settings.decision_capacity is not none -%}
    {%- do capacity_scopes.append(scope) -%}
{%- endfor -%}
{%- set decision_capacity = score_monitoring.setting_sql('decision_capacity', 'windows.model_name') -%}
{%- set review_capacity = score_monitoring.setting_sql('review_capacity', 'windows.model_name') -%}
{%- set double_type = score_monitoring.type_double() %}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),
{%- if capacity_scopes %}

ranked_scores as (

    select
        staged_scores.score_date,
        staged_scores.model_name,
        staged_scores.valid_score,
        row_number() over (
            partition by staged_scores.score_date, staged_scores.model_name order by staged_scores.valid_score desc
        ) as score_rank
    from {{ ref('stg_scores') }} as staged_scores
    inner join windows
        on
            staged_scores.score_date = windows.score_date
            and staged_scores.model_name = windows.model_name
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', score_monitoring.scan_start_date('current'), score_monitoring.monitoring_date()) }}
        and staged_scores.is_valid_score
        and {{ score_monitoring.model_scope_key('staged_scores.model_name') }} in ('{{ capacity_scopes | join("', '") }}')

),

capacity_thresholds as (

    {#- The decision_capacity-th largest valid score: no row when the day has fewer. #}
    select
        windows.score_date,
        windows.model_name,
        ranked_scores.valid_score as capacity_threshold
    from windows
    inner join ranked_scores
        on
            windows.score_date = ranked_scores.score_date
            and windows.model_name = ranked_scores.model_name
            and ranked_scores.score_rank = {{ decision_capacity }}

),
{%- endif %}

final as (

    select
        windows.score_date,
        windows.model_name,
        score_health.decision_count,
        cast({{ decision_capacity }} as {{ dbt.type_bigint() }}) as decision_capacity,
        {{ score_monitoring.safe_divide('score_health.decision_count', decision_capacity) }} as decision_capacity_use,
        score_health.review_count,
        cast({{ review_capacity }} as {{ dbt.type_bigint() }}) as review_capacity,
        {{ score_monitoring.safe_divide('score_health.review_count', review_capacity) }} as review_capacity_use,
        {%- if capacity_scopes %}
        capacity_thresholds.capacity_threshold
        {%- else %}
        cast(null as {{ double_type }}) as capacity_threshold
        {%- endif %}
    from windows
    left join score_health
        on
            windows.score_date = score_health.score_date
            and windows.model_name = score_health.model_name
    {%- if capacity_scopes %}
    left join capacity_thresholds
        on
            windows.score_date = capacity_thresholds.score_date
            and windows.model_name = capacity_thresholds.model_name
    {%- endif %}

)

select * from final
