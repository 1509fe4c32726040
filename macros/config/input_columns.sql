{#
  purpose: the columns of an input (scores or labels) as a dict of lower-case name -> data type,
           so staging can adapt optional columns and name missing ones. Empty at parse time.
  args: input_name - 'scores' or 'labels'
  example: {% set columns = score_monitoring.input_columns('scores') %}
#}
{% macro input_columns(input_name) %}
    {%- if input_name not in ['scores', 'labels'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: input_columns() takes 'scores' or 'labels', got '" ~ input_name ~ "'") }}
    {%- endif -%}
    {%- if not execute -%}
        {{- return({}) -}}
    {%- endif -%}
    {{- return(adapter.dispatch('input_columns', 'score_monitoring')(input_name)) -}}
{% endmacro %}

{% macro default__input_columns(input_name) %}
    {%- set table_var = input_name ~ '_table' -%}
    {%- set relation = adapter.get_relation(
        database=var('source_project') or target.project,
        schema=var('source_dataset') or target.schema,
        identifier=var(table_var)) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: the " ~ input_name ~ " table " ~ (var('source_project') or target.project) ~ "." ~ (var('source_dataset') or target.schema) ~ "." ~ var(table_var) ~ " does not exist; set vars source_project, source_dataset and " ~ table_var) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.update({column.name | lower: column.dtype | upper}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{% endmacro %}

{# DuckDB reads parquet: check the path matches files, then DESCRIBE the scan. #}
{% macro duckdb__input_columns(input_name) %}
    {%- set path_var = input_name ~ '_path' -%}
    {%- set path = score_monitoring.parquet_path(path_var) -%}
    {%- set matches = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var " ~ path_var ~ " = '" ~ path ~ "' matches no file (run scripts/generate_demo_data.py for the demo, or pass --vars '{" ~ path_var ~ ": path/to/" ~ input_name ~ ".parquet}')") }}
    {%- endif -%}
    {%- set described = run_query("describe select * from read_parquet('" ~ path ~ "', union_by_name = true)") -%}
    {%- set columns = {} -%}
    {%- for row in described.rows -%}
        {%- do columns.update({row[0] | lower: row[1] | upper}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{% endmacro %}
