{#
  purpose: the columns of an input (scores, labels or reference_profile) as a dict of lower-case name -> data type,
           so staging can adapt optional columns and name missing ones. Empty at parse time.
           Stops with a message naming the var when the input does not exist.
  args: input_name - 'scores', 'labels' or 'reference_profile' (a configured input)
  example: {% set columns = score_monitoring.input_columns('scores') %}
#}
{% macro input_columns(input_name) %}
    {%- if score_monitoring.input_kind(input_name) is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: input_columns('" ~ input_name ~ "') needs a configured " ~ input_name ~ " input (var " ~ input_name ~ "_model, " ~ input_name ~ "_path or " ~ input_name ~ "_table)") }}
    {%- endif -%}
    {%- if not execute -%}
        {{- return({}) -}}
    {%- endif -%}
    {{- return(adapter.dispatch('input_columns', 'score_monitoring')(input_name, score_monitoring.input_relation(input_name, declare=false))) -}}
{% endmacro %}

{% macro default__input_columns(input_name, relation) %}
    {%- set kind = score_monitoring.input_kind(input_name) -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: the " ~ input_name ~ " input " ~ relation ~ " (var " ~ input_name ~ "_" ~ kind ~ " = '" ~ score_monitoring.setting(input_name ~ '_' ~ kind) ~ "') does not exist" ~ ("; build it first or fix the name" if kind == 'model' else "; set vars source_project, source_dataset and " ~ input_name ~ "_table")) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(found) -%}
        {%- do columns.update({column.name | lower: column.dtype | upper}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{% endmacro %}

{# DuckDB: parquet files are checked with glob() and DESCRIBEd through the source's read_parquet. #}
{% macro duckdb__input_columns(input_name, relation) %}
    {%- if score_monitoring.input_kind(input_name) != 'path' -%}
        {{- return(score_monitoring.default__input_columns(input_name, relation)) -}}
    {%- endif -%}
    {%- set path_var = input_name ~ '_path' -%}
    {%- set path = score_monitoring.parquet_path(path_var) -%}
    {%- set matches = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var " ~ path_var ~ " = '" ~ path ~ "' matches no file (run scripts/generate_demo_data.py for the demo, or pass --vars '{" ~ path_var ~ ": path/to/" ~ input_name ~ ".parquet}')") }}
    {%- endif -%}
    {%- set described = run_query("describe select * from " ~ relation) -%}
    {%- set columns = {} -%}
    {%- for row in described.rows -%}
        {%- do columns.update({row[0] | lower: row[1] | upper}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{% endmacro %}
