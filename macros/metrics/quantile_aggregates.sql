{#
  purpose: aggregate expressions for several quantiles of one numeric expression, NULLs ignored,
           returned as a list (one SQL expression per probability, in order). DuckDB: exact,
           linear interpolation (= numpy.quantile default), one sort for all. BigQuery:
           APPROX_QUANTILES with 1000 buckets (one-pass sketch, ~1/1000 rank error); its exact
           quantiles come from group_quantiles, which calls this macro only for 'approx'.
  args: expression - numeric SQL expression; probabilities - non-empty list of numbers in [0, 1]
  example: {% for q in score_monitoring.quantile_aggregates('valid_score', [0.1, 0.5]) %} {{ q }} as q{{ loop.index }}, {% endfor %}
#}
{% macro quantile_aggregates(expression, probabilities) %}
    {%- do score_monitoring.validate_grid_arguments('quantile_aggregates', probabilities=probabilities) -%}
    {{- return(adapter.dispatch('quantile_aggregates', 'score_monitoring')(expression, probabilities)) -}}
{% endmacro %}

{# ANSI ordered-set aggregate, one per probability. #}
{% macro default__quantile_aggregates(expression, probabilities) %}
    {%- set expressions = [] -%}
    {%- for probability in probabilities -%}
        {%- do expressions.append('percentile_cont(' ~ probability ~ ') within group (order by ' ~ expression ~ ')') -%}
    {%- endfor -%}
    {{- return(expressions) -}}
{% endmacro %}

{# BigQuery: PERCENTILE_CONT is analytic-only, so the aggregate quantile is APPROX_QUANTILES
   (identical calls computed once); exact quantiles are a query of their own (group_quantiles). #}
{% macro bigquery__quantile_aggregates(expression, probabilities) %}
    {%- set expressions = [] -%}
    {%- for probability in probabilities -%}
        {%- do expressions.append('approx_quantiles(' ~ expression ~ ', 1000 ignore nulls)[safe_offset(' ~ ((probability * 1000) | round | int) ~ ')]') -%}
    {%- endfor -%}
    {{- return(expressions) -}}
{% endmacro %}

{# DuckDB: the list form of quantile_cont sorts once for all probabilities; identical calls are deduplicated. #}
{% macro duckdb__quantile_aggregates(expression, probabilities) %}
    {%- set probability_list = '[' ~ probabilities | join(', ') ~ ']' -%}
    {%- set expressions = [] -%}
    {%- for probability in probabilities -%}
        {%- do expressions.append('quantile_cont(' ~ expression ~ ', ' ~ probability_list ~ ')[' ~ loop.index ~ ']') -%}
    {%- endfor -%}
    {{- return(expressions) -}}
{% endmacro %}
