{#- The learned checks (check_registry('learned')): for every metric with history (a column of
    score_health_daily or score_drift_daily), the absolute z-score of the day's value against the
    model's own trailing history: var zscore_history_days days, or that many weeks of the same
    weekday for metrics in var zscore_same_weekday_metrics (weekly seasonality such as quiet
    Sundays). With fewer than var zscore_min_history history points the row says so. Every
    candidate is computed; a threshold row named '<metric>_zscore' turns one on in
    monitoring_checks. -#}
{%- set checks = score_monitoring.check_registry('learned') -%}
{%- set same_weekday = score_monitoring.setting('zscore_same_weekday_metrics') -%}
{%- set history_days = score_monitoring.setting('zscore_history_days') -%}
{%- set lookback_days = history_days * 7 if same_weekday else history_days -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),

score_drift as (

    select * from {{ ref('score_drift_daily') }}

),

metric_history as (

    select
        score_health.score_date,
        score_health.model_name
        {%- for check in checks %},
        cast({{ check.history_source }}.{{ check.history_metric }} as {{ score_monitoring.type_double() }}) as {{ check.history_metric }}
        {%- endfor %}
    from score_health
    left join score_drift
        on
            score_health.score_date = score_drift.score_date
            and score_health.model_name = score_drift.model_name

),

history_statistics as (

    select
        windows.score_date,
        windows.model_name
        {%- for check in checks %}
        {%- set metric = check.history_metric %}
        {%- set history_span = history_days * 7 if metric in same_weekday else history_days %}
        {%- set in_history = "history.score_date >= " ~ score_monitoring.add_days('windows.score_date', -history_span)
            ~ (" and mod(" ~ score_monitoring.days_between('history.score_date', 'windows.score_date') ~ ", 7) = 0" if metric in same_weekday else "") %},
        max(case when history.score_date = windows.score_date then history.{{ metric }} end) as {{ metric }}_value,
        avg(case when {{ in_history }} and history.score_date < windows.score_date then history.{{ metric }} end) as {{ metric }}_history_mean,
        stddev_samp(case when {{ in_history }} and history.score_date < windows.score_date then history.{{ metric }} end) as {{ metric }}_history_stddev,
        count(case when {{ in_history }} and history.score_date < windows.score_date then history.{{ metric }} end) as {{ metric }}_history_count
        {%- endfor %}
    from windows
    inner join metric_history as history
        on
            windows.model_name = history.model_name
            and history.score_date between {{ score_monitoring.add_days('windows.score_date', -lookback_days) }} and windows.score_date
    group by windows.score_date, windows.model_name

),

final as (

    {{ score_monitoring.check_rows(checks, 'history_statistics') }}

)

select * from final
