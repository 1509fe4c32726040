{#
  purpose: score_health_daily's latency_p50, latency_p95 and latency_p99 as select items: from a
           latency_quantiles() query joined as alias, or NULL (no scan) without a latency_ms column.
  args: alias - the alias of the joined latency_quantiles() query; has_latency - whether the
        scores input has a latency_ms column
  example: select {{ score_monitoring.latency_columns('daily_latencies', true) }} from ...
#}
{% macro latency_columns(alias, has_latency) %}
    {%- for percent in [50, 95, 99] %}
    {{ alias ~ '.latency_p' ~ percent if has_latency else 'cast(null as ' ~ score_monitoring.type_double() ~ ')' }} as latency_p{{ percent }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
