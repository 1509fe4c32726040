{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table score_health_daily: volume, duplicates, versions, invalid scores, the score
    distribution, decision / review rates and serving health (latency, scoring errors) per
    processed (score_date, model_name), including
    expected days on which a model scored nothing (row_count 0). Scores are read from
    scan_start_date('current') to the monitoring date only (partition pruning). -#}
{%- set current_start = score_monitoring.scan_start_date('current') -%}
{%- set input_columns = score_monitoring.input_columns('scores') -%}
{%- set has_review_flag = 'review_flag' in input_columns -%}
{%- set has_error_flag = 'error_flag' in input_columns -%}
{#- Without a latency_ms column the latency quantiles are NULL, at no scan. -#}
{%- set has_latency = 'latency_ms' in input_columns -%}
{%- set count_columns = [
    'row_count', 'entity_count', 'duplicate_rows', 'model_version_count',
    'null_score_count', 'out_of_bounds_count', 'valid_score_count', 'decision_count',
] -%}
{%- set value_columns = ['score_mean', 'score_stddev', 'score_min', 'score_max'] -%}
{%- for percent in score_monitoring.score_quantile_percents() -%}
    {%- do value_columns.append('score_p%02d' % percent) -%}
{%- endfor -%}
{%- do value_columns.append('decision_rate') -%}
{#- The day's rows, inlined into both scans as a subquery (DuckDB would store a CTE read twice). -#}
{%- set current_scores -%}
    (
        select staged_scores.*
        from {{ ref('stg_scores') }} as staged_scores
        inner join {{ ref('int_monitoring_windows') }} as windows
            on
                staged_scores.score_date = windows.score_date
                and staged_scores.model_name = windows.model_name
        where
            {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', current_start, score_monitoring.monitoring_date()) }}
    )
{%- endset -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

daily_health as (

    select
        score_date,
        model_name,
        {{ score_monitoring.score_health_aggregates(has_review_flag, has_error_flag) }}
    from {{ current_scores }} as current_scores
    group by score_date, model_name

),

daily_quantiles as (

    {{ score_monitoring.score_quantiles(current_scores, ['score_date', 'model_name']) }}

),
{%- if has_latency %}

daily_latencies as (

    {{ score_monitoring.latency_quantiles(current_scores, ['score_date', 'model_name']) }}

),
{%- endif %}

final as (

    select
        windows.score_date,
        windows.model_name,
        {%- for column in count_columns %}
        coalesce(daily_health.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {%- for column in value_columns %}
        {{ 'daily_quantiles' if column.startswith('score_p') else 'daily_health' }}.{{ column }},
        {%- endfor %}
        {%- if has_review_flag %}
        coalesce(daily_health.review_count, 0) as review_count,
        {%- else %}
        daily_health.review_count,
        {%- endif %}
        daily_health.review_rate,
        {{ score_monitoring.latency_columns('daily_latencies', has_latency) }},
        {%- if has_error_flag %}
        coalesce(daily_health.error_count, 0) as error_count,
        {%- else %}
        daily_health.error_count,
        {%- endif %}
        daily_health.error_rate
    from windows
    left join daily_health
        on
            windows.score_date = daily_health.score_date
            and windows.model_name = daily_health.model_name
    left join daily_quantiles
        on
            windows.score_date = daily_quantiles.score_date
            and windows.model_name = daily_quantiles.model_name
    {%- if has_latency %}
    left join daily_latencies
        on
            windows.score_date = daily_latencies.score_date
            and windows.model_name = daily_latencies.model_name
    {%- endif %}

)

select * from final
