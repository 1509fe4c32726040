{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table score_stability_daily: how much the scores and decisions of the entities scored
    again moved since the model's previous score date (the latest earlier score date within var
    previous_reference_max_gap_days, as in drift_reference_mode previous), per processed
    (score_date, model_name). An entity counts once it has one row with a valid score on both
    dates; an entity with several rows on either date is left out. Scores are read from
    scan_start_date('previous') to the monitoring date only (partition pruning). -#}
{%- set max_gap_days = score_monitoring.setting('previous_reference_max_gap_days') -%}
{%- set scan_start = score_monitoring.scan_start_date('previous') %}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}

),

entity_days as (

    {#- With one row per entity, max() is that row's value. #}
    select
        score_date,
        model_name,
        entity_id,
        count(*) as entity_row_count,
        max(valid_score) as score,
        max(decision) as decision
    from staged_scores
    where
        {{ score_monitoring.score_date_scan_filter('score_date', scan_start, score_monitoring.monitoring_date()) }}
    group by score_date, model_name, entity_id

),

scored_days as (

    select distinct
        score_date,
        model_name
    from entity_days

),

previous_dates as (

    select
        windows.score_date,
        windows.model_name,
        max(scored_days.score_date) as previous_score_date
    from windows
    left join scored_days
        on
            windows.model_name = scored_days.model_name
            and windows.score_date > scored_days.score_date
            and windows.score_date <= {{ score_monitoring.add_days('scored_days.score_date', max_gap_days) }}
    group by windows.score_date, windows.model_name

),

comparable_entities as (

    select *
    from entity_days
    where entity_row_count = 1 and score is not null

),

rescored_entities as (

    select
        previous_dates.score_date,
        previous_dates.model_name,
        current_entities.decision,
        previous_entities.decision as previous_decision,
        abs(current_entities.score - previous_entities.score) as abs_score_change
    from previous_dates
    inner join comparable_entities as current_entities
        on
            previous_dates.score_date = current_entities.score_date
            and previous_dates.model_name = current_entities.model_name
    inner join comparable_entities as previous_entities
        on
            previous_dates.previous_score_date = previous_entities.score_date
            and previous_dates.model_name = previous_entities.model_name
            and current_entities.entity_id = previous_entities.entity_id

),

change_aggregates as (

    select
        score_date,
        model_name,
        count(*) as rescored_count,
        avg(abs_score_change) as mean_abs_score_change,
        {{ score_monitoring.count_where('decision <> previous_decision') }} as flipped_count,
        {{ score_monitoring.count_where('decision is not null and previous_decision is not null') }} as decision_known_count
    from rescored_entities
    group by score_date, model_name

),

change_quantiles as (

    {{ score_monitoring.group_quantiles(
        'rescored_entities', ['score_date', 'model_name'], 'abs_score_change', [0.5, 0.9, 0.99], 'abs_score_change_quantile_'
    ) }}

),

final as (

    select
        previous_dates.score_date,
        previous_dates.model_name,
        previous_dates.previous_score_date,
        coalesce(change_aggregates.rescored_count, 0) as rescored_count,
        change_aggregates.mean_abs_score_change,
        change_quantiles.abs_score_change_quantile_1 as abs_score_change_p50,
        change_quantiles.abs_score_change_quantile_2 as abs_score_change_p90,
        change_quantiles.abs_score_change_quantile_3 as abs_score_change_p99,
        {{ score_monitoring.safe_divide('change_aggregates.flipped_count', 'change_aggregates.decision_known_count') }} as decision_flip_rate
    from previous_dates
    left join change_aggregates
        on
            previous_dates.score_date = change_aggregates.score_date
            and previous_dates.model_name = change_aggregates.model_name
    left join change_quantiles
        on
            previous_dates.score_date = change_quantiles.score_date
            and previous_dates.model_name = change_quantiles.model_name

)

select * from final
