{#
  purpose: the input columns one kind of per-model setting names, over every settings scope (the
           union, in order of first mention), with the scopes that name each: the columns staging
           carries, and which models each column is monitored for.
  args: key - 'segment_columns', 'numeric_features' or 'categorical_features'
  example: {% for column, scopes in score_monitoring.monitored_columns('segment_columns').items() %} ... {% endfor %}
#}
{% macro monitored_columns(key) %}
    {%- if key not in ['segment_columns', 'numeric_features', 'categorical_features'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: monitored_columns() takes segment_columns, numeric_features or categorical_features; got '" ~ key ~ "'") }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- set ordered = [] -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- for column in settings[key] -%}
            {%- if column not in columns -%}
                {%- do ordered.append(column) -%}
                {%- do columns.update({column: []}) -%}
            {%- endif -%}
            {%- do columns[column].append(scope) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set result = {} -%}
    {%- for column in ordered -%}
        {%- do result.update({column: columns[column]}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{% endmacro %}
