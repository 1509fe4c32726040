{#
  purpose: a query with quantiles of a numeric column per group, plus the group's value count,
           min and max (NULLs ignored; groups without values get no row). DuckDB: exact (numpy's
           linear interpolation) in one aggregate. BigQuery: var quantile_method, 'approx'
           (APPROX_QUANTILES, one pass) or 'exact' (grid_quantiles, no ARRAY_AGG of a group).
  args: relation - a relation or parenthesised subquery (grid_quantiles reads it three times);
        group_columns - non-empty list of columns; value_column - the numeric column;
        probabilities - non-empty list of numbers in [0, 1]; prefix - output column prefix, the
        quantiles are <prefix>1 .. <prefix>k in the order of probabilities
  example: deciles as ({{ score_monitoring.group_quantiles('(select * from reference_values)', ['model_name'], 'value', [0.1, 0.5, 0.9], 'decile_') }})
#}
{% macro group_quantiles(relation, group_columns, value_column, probabilities, prefix) %}
    {%- do score_monitoring.validate_grid_arguments('group_quantiles', group_columns, probabilities) -%}
    {{- return(adapter.dispatch('group_quantiles', 'score_monitoring')(relation, group_columns, value_column, probabilities, prefix)) -}}
{% endmacro %}

{% macro default__group_quantiles(relation, group_columns, value_column, probabilities, prefix) %}
    {%- set quantiles = score_monitoring.quantile_aggregates(value_column, probabilities) -%}
    select
        {{ group_columns | join(', ') }},
        count({{ value_column }}) as value_count,
        min({{ value_column }}) as value_min,
        max({{ value_column }}) as value_max,
        {%- for quantile in quantiles %}
        cast({{ quantile }} as {{ score_monitoring.type_double() }}) as {{ prefix }}{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where {{ value_column }} is not null
    group by {{ group_columns | join(', ') }}
{%- endmacro %}

{% macro bigquery__group_quantiles(relation, group_columns, value_column, probabilities, prefix) %}
    {%- set method = score_monitoring.setting('quantile_method') -%}
    {%- if method not in ['approx', 'exact'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var quantile_method is '" ~ method ~ "'; use one of approx, exact") }}
    {%- endif -%}
    {%- if method == 'exact' -%}
        {{- score_monitoring.grid_quantiles(relation, group_columns, value_column, probabilities, prefix) -}}
    {%- else -%}
        {{- score_monitoring.default__group_quantiles(relation, group_columns, value_column, probabilities, prefix) -}}
    {%- endif -%}
{%- endmacro %}
