{#
  purpose: the monitoring date as 'YYYY-MM-DD': var monitoring_date, else the latest score_date in the input.
  args: none
  example: where score_date <= {{ score_monitoring.date_literal(score_monitoring.monitoring_date()) }}
#}
{% macro monitoring_date() %}
    {%- do score_monitoring.validate_config() -%}
    {%- if score_monitoring.setting('monitoring_date') -%}
        {%- do score_monitoring.date_literal(score_monitoring.setting('monitoring_date')) -%}
        {{- return(score_monitoring.setting('monitoring_date') | string) -}}
    {%- endif -%}
    {%- if not execute -%}
        {{- return('1970-01-01') -}}
    {%- endif -%}
    {%- set scores = score_monitoring.input_relation('scores', declare=false) -%}
    {%- set latest = run_query('select max(score_date) from ' ~ scores).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: the scores input has no rows, so there is no monitoring date; pass --vars '{monitoring_date: YYYY-MM-DD}' or load scores") }}
    {%- endif -%}
    {{- return((latest | string)[:10]) -}}
{% endmacro %}
