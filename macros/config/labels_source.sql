{#
  purpose: the FROM target that holds the outcomes (contract input `labels`).
  args: none (vars labels_path on DuckDB; source_project, source_dataset, labels_table on BigQuery)
  example: select * from {{ score_monitoring.labels_source() }}
#}
{% macro labels_source() %}
    {{- return(adapter.dispatch('labels_source', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__labels_source() %}{{ source('score_monitoring_inputs', 'labels') }}{% endmacro %}

{# DuckDB reads the user's parquet files directly; no load step. #}
{% macro duckdb__labels_source() %}read_parquet('{{ score_monitoring.parquet_path('labels_path') }}', union_by_name = true){% endmacro %}
