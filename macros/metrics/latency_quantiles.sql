{#
  purpose: a query with score_health_daily's latency quantiles (p50, p95, p99, linear
           interpolation) of the non-NULL latency_ms per group, as columns latency_p50 ..
           latency_p99 (group_quantiles: exact on DuckDB, var quantile_method on BigQuery).
  args: relation - a relation or parenthesised subquery of staged score rows (latency_ms);
        group_columns - non-empty list of columns
  example: latencies as ({{ score_monitoring.latency_quantiles('(select * from day_scores)', ['score_date', 'model_name']) }})
#}
{% macro latency_quantiles(relation, group_columns) %}
    {%- set percents = [50, 95, 99] -%}
    select
        {%- for column in group_columns %}
        latency_quantile_groups.{{ column }},
        {%- endfor %}
        {%- for percent in percents %}
        latency_quantile_groups.latency_quantile_{{ loop.index }} as latency_p{{ percent }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ score_monitoring.group_quantiles(relation, group_columns, 'latency_ms', [0.5, 0.95, 0.99], 'latency_quantile_') }}) as latency_quantile_groups
{%- endmacro %}
