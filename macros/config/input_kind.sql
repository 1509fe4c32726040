{#
  purpose: where an input is read from: the first set of var <input>_model ('model', a model, seed
           or snapshot read with ref()), <input>_path ('path', parquet files, DuckDB only) and
           <input>_table ('table', in vars source_project / source_dataset); none when no var is
           set (an error for scores, which every run needs).
  args: input_name - 'scores', 'labels' or 'reference_profile'
  example: {% if score_monitoring.input_kind('labels') is not none %} ... {% endif %}
#}
{% macro input_kind(input_name) %}
    {%- if input_name not in ['scores', 'labels', 'reference_profile'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: input_kind() takes 'scores', 'labels' or 'reference_profile', got '" ~ input_name ~ "'") }}
    {%- endif -%}
    {%- for kind in ['model', 'path', 'table'] -%}
        {%- if score_monitoring.setting(input_name ~ '_' ~ kind) not in [none, ''] -%}
            {%- if kind == 'path' and target.type != 'duckdb' -%}
                {{ exceptions.raise_compiler_error("score_monitoring: var " ~ input_name ~ "_path reads parquet files on DuckDB only; on " ~ target.type ~ " set var " ~ input_name ~ "_model or " ~ input_name ~ "_table instead") }}
            {%- endif -%}
            {{- return(kind) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- if input_name == 'scores' -%}
        {{ exceptions.raise_compiler_error("score_monitoring: no scores input: set one of vars scores_model (a model, seed or snapshot of your project), scores_path (parquet files, DuckDB) or scores_table (a table in vars source_project / source_dataset)") }}
    {%- endif -%}
    {{- return(none) -}}
{% endmacro %}
