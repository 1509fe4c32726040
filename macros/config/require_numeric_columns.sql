{#
  purpose: stop compilation when a column configured as numeric is stored with a non-numeric type.
  args: columns - dict from input_columns(); names - column names; origin - the var that names them;
        kind, fix - what the column is and how to mend it, for the message (default: a numeric feature)
  example: {% do score_monitoring.require_numeric_columns(columns, settings.numeric_features, 'var numeric_features') %}
#}
{% macro require_numeric_columns(columns, names, origin, kind='numeric feature', fix='cast it upstream or list it in categorical_features') %}
    {%- set numeric_markers = ['INT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'NUMERIC', 'REAL', 'BIGNUMERIC'] -%}
    {%- for name in names -%}
        {%- set data_type = columns.get(name | lower, '') -%}
        {%- if execute and data_type and (numeric_markers | select('in', data_type) | list | length == 0) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ kind ~ " '" ~ name ~ "' (" ~ origin ~ ") is stored as " ~ data_type ~ ", not a number; " ~ fix) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
