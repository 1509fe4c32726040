{#
  purpose: stop compilation when an input lacks a column the contract or a var requires.
  args: columns - dict from input_columns(); required - list of names; input_name - named in the error;
        origin - why the columns are required (named in the error)
  example: {% do score_monitoring.require_columns(columns, ['score_date', 'score'], 'scores', 'the contract') %}
#}
{% macro require_columns(columns, required, input_name, origin) %}
    {%- if execute -%}
        {%- set missing = [] -%}
        {%- for name in required -%}
            {%- if name | lower not in columns -%}
                {%- do missing.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error("score_monitoring: the " ~ input_name ~ " input has no column " ~ missing | join(', ') ~ " (required by " ~ origin ~ "); it has: " ~ columns.keys() | sort | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
