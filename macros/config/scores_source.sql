{#
  purpose: the FROM target that holds the prediction log (contract input `scores`).
  args: none (vars scores_path on DuckDB; source_project, source_dataset, scores_table on BigQuery)
  example: select * from {{ score_monitoring.scores_source() }}
#}
{% macro scores_source() %}
    {{- return(adapter.dispatch('scores_source', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__scores_source() %}{{ source('score_monitoring_inputs', 'scores') }}{% endmacro %}

{# DuckDB reads the user's parquet files directly; no load step. #}
{% macro duckdb__scores_source() %}read_parquet('{{ score_monitoring.parquet_path('scores_path') }}', union_by_name = true){% endmacro %}
