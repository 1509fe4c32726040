{#
  purpose: the partition_by config of the monitoring tables: daily partitions on score_date on
           BigQuery (so insert_overwrite replaces only the days a run touches), none elsewhere.
  args: none
  example: {{ config(partition_by=score_monitoring.score_date_partition()) }}
#}
{% macro score_date_partition() %}
    {{- return(adapter.dispatch('score_date_partition', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__score_date_partition() %}
    {{- return(none) -}}
{% endmacro %}

{# Only BigQuery partitions tables by a column. #}
{% macro bigquery__score_date_partition() %}
    {{- return({'field': 'score_date', 'data_type': 'date', 'granularity': 'day'}) -}}
{% endmacro %}
