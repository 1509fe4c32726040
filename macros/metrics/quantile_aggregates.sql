{#
  purpose: aggregate expressions for several quantiles of one numeric expression, NULLs ignored,
           returned as a list (one SQL expression per probability, in order).
           DuckDB: exact, linear interpolation (= numpy.quantile default), one sort for all.
           BigQuery: var quantile_method picks the method. 'approx' (default): APPROX_QUANTILES
           with 1000 buckets (one-pass sketch, documented approximation, ~1/1000 rank error).
           'exact': linear interpolation (= numpy.quantile default, = DuckDB) on the sorted
           ARRAY_AGG of the group, which holds every value of the group in memory. DuckDB and
           other adapters ignore the var (always exact).
  args: expression - numeric SQL expression; probabilities - non-empty list of numbers in [0, 1]
  example: {% for q in score_monitoring.quantile_aggregates('valid_score', [0.1, 0.5]) %} {{ q }} as q{{ loop.index }}, {% endfor %}
           (dbt build --vars '{quantile_method: exact}' for exact quantiles on BigQuery)
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

{# BigQuery: PERCENTILE_CONT is analytic-only, so the aggregate quantile is APPROX_QUANTILES
   (quantile_method 'approx', identical calls computed once) or, for 'exact', numpy's linear
   interpolation over the sorted values: with n = count(x), h = (n - 1) * p and
   arr = array_agg(x ignore nulls order by x), arr[floor(h)] + (h - floor(h)) * (arr[ceil(h)] - arr[floor(h)]).
   Indices are cast to INT64 only after floor / ceil (exact whatever the cast rounds to), and
   SAFE_OFFSET makes n = 0 (h < 0 or an empty / NULL array) NULL instead of an error. #}
{% macro bigquery__quantile_aggregates(expression, probabilities) %}
    {%- set method = score_monitoring.setting('quantile_method') -%}
    {%- if method not in ['approx', 'exact'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var quantile_method is '" ~ method ~ "'; use one of approx, exact") }}
    {%- endif -%}
    {%- set expressions = [] -%}
    {%- if method == 'exact' -%}
        {%- set sorted_values = 'array_agg(' ~ expression ~ ' ignore nulls order by ' ~ expression ~ ')' -%}
        {%- for probability in probabilities -%}
            {%- set position = '((count(' ~ expression ~ ') - 1) * ' ~ (probability | float) ~ ')' -%}
            {%- set lower = sorted_values ~ '[safe_offset(cast(floor(' ~ position ~ ') as int64))]' -%}
            {%- set upper = sorted_values ~ '[safe_offset(cast(ceil(' ~ position ~ ') as int64))]' -%}
            {%- do expressions.append('(' ~ lower ~ ' + (' ~ position ~ ' - floor(' ~ position ~ ')) * (' ~ upper ~ ' - ' ~ lower ~ '))') -%}
        {%- endfor -%}
    {%- else -%}
        {%- for probability in probabilities -%}
            {%- do expressions.append('approx_quantiles(' ~ expression ~ ', 1000 ignore nulls)[safe_offset(' ~ ((probability * 1000) | round | int) ~ ')]') -%}
        {%- endfor -%}
    {%- endif -%}
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
