-- depends_on: {{ ref('monitoring_thresholds') }}
-- depends_on: {{ ref('score_drift_daily') }}
{# Learned-threshold checks: for every metric the thresholds seed names as '<metric>_zscore'
    (a column of score_health_daily or score_drift_daily), the absolute z-score of the day's value
    against the model's own trailing history: var zscore_history_days days, or that many weeks
    of the same weekday for metrics in var zscore_same_weekday_metrics (weekly seasonality such as
    quiet Sundays). With fewer than var zscore_min_history history points the row says so. -#}
{%- set health_metrics = ['row_count', 'entity_count', 'duplicate_rows', 'valid_score_count', 'score_mean', 'score_stddev', 'score_min', 'score_max',
    'score_p01', 'score_p05', 'score_p10', 'score_p25', 'score_p50', 'score_p75', 'score_p90', 'score_p95', 'score_p99', 'decision_rate', 'review_rate'] -%}
{%- set drift_metrics = ['psi', 'js_distance', 'ks_statistic'] -%}
{%- set metrics = [] -%}
{%- if execute -%}
    {%- set named = run_query("select distinct check_name from " ~ ref('monitoring_thresholds') ~ " order by check_name") -%}
    {%- for check_name in named.columns[0].values() if check_name.endswith('_zscore') -%}
        {%- set metric = check_name[:-7] -%}
        {%- if metric not in health_metrics + drift_metrics -%}
            {{ exceptions.raise_compiler_error("score_monitoring: thresholds seed names check '" ~ check_name ~ "', but '" ~ metric ~ "' is not a metric with history; use one of " ~ (health_metrics + drift_metrics) | join(', ')) }}
        {%- endif -%}
        {%- do metrics.append(metric) -%}
    {%- endfor -%}
{%- endif -%}
{%- set same_weekday = score_monitoring.setting('zscore_same_weekday_metrics') -%}
{%- set history_days = score_monitoring.setting('zscore_history_days') -%}
{%- set lookback_days = history_days * 7 if same_weekday else history_days -%}
{%- set needs_drift = metrics | select('in', drift_metrics) | list | length > 0 -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

score_health as (

    select * from {{ ref('score_health_daily') }}

),

{%- if needs_drift %}
score_drift as (

    select * from {{ ref('score_drift_daily') }}

),
{%- endif %}

metric_history as (

    select
        score_health.score_date,
        score_health.model_name
        {%- for metric in metrics %},
        cast({{ 'score_drift' if metric in drift_metrics else 'score_health' }}.{{ metric }} as {{ score_monitoring.type_double() }}) as {{ metric }}
        {%- endfor %}
    from score_health
    {%- if needs_drift %}
    left join score_drift
        on
            score_health.score_date = score_drift.score_date
            and score_health.model_name = score_drift.model_name
    {%- endif %}

),

history_statistics as (

    select
        windows.score_date,
        windows.model_name
        {%- for metric in metrics %}
        {%- set in_history = "history.score_date >= " ~ score_monitoring.add_days('windows.score_date', -(history_days * 7 if metric in same_weekday else history_days))
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

learned_checks as (

    {%- for metric in metrics %}
    {{ 'union all' if not loop.first }}
    select
        score_date,
        model_name,
        'learned' as check_family,
        '{{ metric }}_zscore' as check_name,
        cast(null as {{ dbt.type_string() }}) as subject,
        case
            when {{ metric }}_history_stddev = 0 and {{ metric }}_value = {{ metric }}_history_mean then 0
            else abs({{ metric }}_value - {{ metric }}_history_mean) / nullif({{ metric }}_history_stddev, 0)
        end as metric_value,
        case
            when {{ metric }}_history_count < {{ score_monitoring.setting('zscore_min_history') }}
                then concat('only ', cast({{ metric }}_history_count as {{ dbt.type_string() }}), ' of the {{ score_monitoring.setting('zscore_min_history') }} history points a z-score needs{{ " (same weekday)" if metric in same_weekday }}')
            when {{ metric }}_value is null then '{{ metric }} is NULL on this day'
            when {{ metric }}_history_stddev = 0 and {{ metric }}_value <> {{ metric }}_history_mean
                then 'the history of {{ metric }} is constant and this day differs from it'
        end as unavailable_reason
    from history_statistics
    {%- endfor %}
    {%- if not metrics %}
    select
        cast(null as date) as score_date,
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as check_family,
        cast(null as {{ dbt.type_string() }}) as check_name,
        cast(null as {{ dbt.type_string() }}) as subject,
        cast(null as {{ score_monitoring.type_double() }}) as metric_value,
        cast(null as {{ dbt.type_string() }}) as unavailable_reason
    from windows
    where false
    {%- endif %}

),

final as (

    select
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        case when unavailable_reason is null then metric_value end as metric_value,
        unavailable_reason
    from learned_checks

)

select * from final
