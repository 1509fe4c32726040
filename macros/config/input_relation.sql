{#
  purpose: the relation an input is read from, as input_kind() chooses: ref(var <input>_model) in the
           root project, or
           the dbt source score_monitoring_inputs.<input>_files (parquet, var <input>_path) or
           score_monitoring_inputs.<input> (var <input>_table), so the DAG, the docs and
           dbt source freshness see every input. none for an unconfigured labels input.
  args: input_name - 'scores' or 'labels'
  example: select * from {{ score_monitoring.input_relation('scores') }}
#}
{% macro input_relation(input_name) %}
    {%- set kind = score_monitoring.input_kind(input_name) -%}
    {%- if kind == 'model' -%}
        {#- Qualified with the root project, where a team's own models live (an unqualified ref
            from a package to the root project is a dbt warning). -#}
        {{- return(ref(project_name, score_monitoring.setting(input_name ~ '_model'))) -}}
    {%- elif kind == 'path' -%}
        {%- do score_monitoring.parquet_path(input_name ~ '_path') -%}
        {{- return(source('score_monitoring_inputs', input_name ~ '_files')) -}}
    {%- elif kind == 'table' -%}
        {{- return(source('score_monitoring_inputs', input_name)) -}}
    {%- endif -%}
    {{- return(none) -}}
{% endmacro %}
