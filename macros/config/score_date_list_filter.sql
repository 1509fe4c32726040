{#
  purpose: the WHERE predicate restricting a scan to a list of score dates with constants, so
           BigQuery prunes partitions: `column in (date '...', ...)`; `column <= monitoring date`
           when the list is none (every date, a full build); `column in (NULL)`, which matches no
           row and reads no partition, when the list is empty.
  args: column - the score_date column (qualified if needed); dates - list of 'YYYY-MM-DD' or none
        (from label_score_dates() or label_mart_dates())
  example: where {{ score_monitoring.score_date_list_filter('score_date', score_monitoring.label_score_dates()) }}
#}
{% macro score_date_list_filter(column, dates) %}
    {%- if dates is none -%}
        {{- return(score_monitoring.score_date_scan_filter(column, none, score_monitoring.monitoring_date())) -}}
    {%- endif -%}
    {%- if dates is string -%}
        {{ exceptions.raise_compiler_error("score_monitoring: score_date_list_filter() needs a list of dates for " ~ column ~ ", got the string '" ~ dates ~ "'") }}
    {%- endif -%}
    {%- if dates | length == 0 -%}
        {{- return(column ~ ' in (cast(null as date))') -}}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in dates -%}
        {%- do literals.append(score_monitoring.date_literal(value)) -%}
    {%- endfor -%}
    {{- return(column ~ ' in (' ~ literals | join(', ') ~ ')') -}}
{% endmacro %}
