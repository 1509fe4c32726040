{#
  purpose: whether an outcomes input is configured; with none (var labels_path, or labels_table on
           BigQuery, set to null or '') the label tables build empty instead of failing, so score
           monitoring runs before any outcome exists.
  args: none
  example: {% if score_monitoring.labels_enabled() %} ... {% endif %}
#}
{% macro labels_enabled() %}
    {{- return(adapter.dispatch('labels_enabled', 'score_monitoring')()) -}}
{% endmacro %}

{% macro default__labels_enabled() %}
    {{- return(var('labels_table') not in [none, '']) -}}
{% endmacro %}

{# DuckDB reads outcomes from parquet files named by labels_path. #}
{% macro duckdb__labels_enabled() %}
    {{- return(var('labels_path') not in [none, '']) -}}
{% endmacro %}
