{#
  purpose: aggregate expressions for several quantiles of one numeric expression, NULLs ignored,
           returned as a list (one SQL expression per probability, in order).
           DuckDB: exact, linear interpolation (= numpy.quantile default), one sort for all.
           BigQuery: APPROX_QUANTILES with 1000 buckets (documented approximation).
  args: expression - numeric SQL expression; probabilities - non-empty list of numbers in [0, 1]
  example: {% for q in score_monitoring.quantile_aggregates('valid_score', [0.1, 0.5]) %} {{ q }} as q{{ loop.index }}, {% endfor %}
#}
{% macro quantile_aggregates(expression, probabilities) %}
    {%- if probabilities is string or probabilities is not iterable or probabilities | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: quantile_aggregates() needs a non-empty list of probabilities, got '" ~ probabilities ~ "'") }}
    {%- endif -%}
    {%- for probability in probabilities -%}
        {%- if probability is not number or probability < 0 or probability > 1 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: quantile_aggregates() needs probabilities in [0, 1], got '" ~ probability ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
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

{# BigQuery's only aggregate quantile is APPROX_QUANTILES (PERCENTILE_CONT is analytic-only); identical calls are computed once. #}
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
