{#
  purpose: the relation an input is read from, as input_kind() chooses: ref(var <input>_model) in the
           root project, or the dbt source score_monitoring_inputs.<input>_files (parquet, var
           <input>_path) or score_monitoring_inputs.<input> (var <input>_table), so the DAG, the
           docs and dbt source freshness see every input. none for an unconfigured labels or reference_profile input.
           With declare=false (compile-time reads of columns or the latest date) the same relation
           is looked up in the graph without adding a DAG edge: the staging models hold the one
           edge to each input, and every model is downstream of them.
  args: input_name - 'scores', 'labels' or 'reference_profile'; declare - add the DAG edge (ref() / source()), default true
  example: select * from {{ score_monitoring.input_relation('scores') }}
#}
{% macro input_relation(input_name, declare=true) %}
    {%- set kind = score_monitoring.input_kind(input_name) -%}
    {%- if kind is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set name = score_monitoring.setting(input_name ~ '_model') if kind == 'model' else input_name ~ ('_files' if kind == 'path' else '') -%}
    {%- if kind == 'path' -%}
        {%- do score_monitoring.parquet_path(input_name ~ '_path') -%}
    {%- endif -%}
    {%- if declare -%}
        {#- Qualified with the root project, where a team's own models live (an unqualified ref
            from a package to the root project is a dbt warning). -#}
        {{- return(ref(project_name, name) if kind == 'model' else source('score_monitoring_inputs', name)) -}}
    {%- endif -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set node = (graph.nodes if kind == 'model' else graph.sources).get(('model.' ~ project_name ~ '.' if kind == 'model' else 'source.score_monitoring.score_monitoring_inputs.') ~ name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: the " ~ input_name ~ " input (var " ~ input_name ~ "_" ~ kind ~ " = '" ~ score_monitoring.setting(input_name ~ '_' ~ kind) ~ "') is not a " ~ ("model of project " ~ project_name if kind == 'model' else "source of the package") ~ "; fix the name") }}
    {%- endif -%}
    {%- if kind == 'path' -%}
        {{- return(node.config.external_location) -}}
    {%- endif -%}
    {{- return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias if kind == 'model' else node.identifier)) -}}
{% endmacro %}
