{#
  purpose: an aggregate expression for the p-quantile of a numeric expression, NULLs ignored.
           DuckDB: exact, linear interpolation (= numpy.quantile default).
           BigQuery: APPROX_QUANTILES with 1000 buckets (documented approximation).
  args: expression - numeric SQL expression; probability - a number in [0, 1]
  example: {{ score_monitoring.quantile_aggregate('valid_score', 0.5) }} as score_p50
#}
{% macro quantile_aggregate(expression, probability) %}
    {%- if probability is not number or probability < 0 or probability > 1 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: quantile_aggregate() needs a probability in [0, 1], got '" ~ probability ~ "'") }}
    {%- endif -%}
    {{- return(adapter.dispatch('quantile_aggregate', 'score_monitoring')(expression, probability)) -}}
{% endmacro %}

{# ANSI ordered-set aggregate. #}
{% macro default__quantile_aggregate(expression, probability) -%}
    percentile_cont({{ probability }}) within group (order by {{ expression }})
{%- endmacro %}

{# BigQuery's only aggregate quantile is APPROX_QUANTILES; PERCENTILE_CONT is analytic-only. #}
{% macro bigquery__quantile_aggregate(expression, probability) -%}
    approx_quantiles({{ expression }}, 1000 ignore nulls)[safe_offset({{ (probability * 1000) | round | int }})]
{%- endmacro %}

{# DuckDB's quantile_cont is exact and interpolates linearly. #}
{% macro duckdb__quantile_aggregate(expression, probability) -%}
    quantile_cont({{ expression }}, {{ probability }})
{%- endmacro %}
