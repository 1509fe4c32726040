{#
  purpose: generic test that a combination of columns is unique (the grain of a model): returns one
           row per duplicated combination with its row count. NULLs compare equal (GROUP BY
           semantics), so a NULL subject is one value, not many. Portable SQL (DuckDB, BigQuery).
  args: model - the tested relation (given by dbt); columns - non-empty list of column names
  example: data_tests: [{score_monitoring.unique_combination: {arguments: {columns: [score_date, model_name]}}}]
#}
{% test unique_combination(model, columns) %}
    {%- if columns is string or columns is mapping or columns is not iterable or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: unique_combination needs columns as a non-empty list of column names, got '" ~ columns ~ "'") }}
    {%- endif -%}
    {%- for column in columns -%}
        {%- if column is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', column) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: unique_combination column '" ~ column ~ "' is not a plain column name") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set column_list = columns | join(', ') -%}

    select
        {{ column_list }},
        count(*) as duplicate_count
    from {{ model }}
    group by {{ column_list }}
    having count(*) > 1
{% endtest %}
