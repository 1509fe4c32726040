-- depends_on: {{ ref('monitoring_thresholds') }}
-- depends_on: {{ ref('score_drift_daily') }}
{# The learned checks: for every '<metric>_zscore' the thresholds seed names (a candidate of
    check_registry('learned'): a column of score_health_daily or score_drift_daily), the absolute
    z-score of the day's value against the model's own trailing history: var zscore_history_days
    days, or that many weeks of the same weekday for metrics in var zscore_same_weekday_metrics
    (weekly seasonality such as quiet Sundays). With fewer than var zscore_min_history history
    points the row says so. -#}
{%- set candidates = score_monitoring.check_registry('learned') -%}
{%- set checks = [] -%}
{%- if execute -%}
    {%- set named = run_query("select distinct check_name from " ~ ref('monitoring_thresholds') ~ " order by check_name") -%}
    {%- for check_name in named.columns[0].values() if check_name.endswith('_zscore') -%}
        {%- set matches = candidates | selectattr('name', 'equalto', check_name) | list -%}
        {%- if not matches -%}
            {{ exceptions.raise_compiler_error("score_monitoring: thresholds seed names check '" ~ check_name ~ "', but '" ~ check_name[:-7] ~ "' is not a metric with history; use one of " ~ candidates | map(attribute='history_metric') | join(', ')) }}
        {%- endif -%}
        {%- do checks.append(matches[0]) -%}
    {%- endfor -%}
{%- endif -%}
{%- set same_weekday = score_monitoring.setting('zscore_same_weekday_metrics') -%}
{%- set history_days = score_monitoring.setting('zscore_history_days') -%}
{%- set lookback_days = history_days * 7 if same_weekday else history_days -%}
{%- set needs_drift = checks | selectattr('history_source', 'equalto', 'score_drift') | list | length > 0 -%}

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
        {%- for check in checks %},
        cast({{ check.history_source }}.{{ check.history_metric }} as {{ score_monitoring.type_double() }}) as {{ check.history_metric }}
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
        {%- for check in checks %}
        {%- set metric = check.history_metric %}
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

final as (

    {%- if checks %}
    {{ score_monitoring.check_rows(checks, 'history_statistics') }}
    {%- else %}
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

)

select * from final
