{#
  purpose: the run date of the standalone scheduled query: BigQuery's @run_date query parameter
           (set by scheduled queries); elsewhere the monitoring date as a literal, so the same
           analysis runs locally.
  args: none
  example: where score_date = {{ score_monitoring.run_date_parameter() }}
#}
{% macro run_date_parameter() %}
    {{- return(adapter.dispatch('run_date_parameter', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__run_date_parameter() %}{{ score_monitoring.date_literal(score_monitoring.monitoring_date()) }}{% endmacro %}

{# BigQuery scheduled queries pass the run date as the named parameter @run_date. #}
{% macro bigquery__run_date_parameter() %}@run_date{% endmacro %}
