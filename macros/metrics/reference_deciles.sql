{#
  purpose: a query with the deciles (quantiles 0.1 .. 0.9) of a numeric column per group, named
           decile_1 .. decile_9 (the raw bin edges before duplicates are collapsed), with
           value_count, value_min and value_max (group_quantiles).
  args: relation - a relation or parenthesised subquery; group_columns - non-empty list of
        columns; value_column - the numeric column (NULLs ignored)
  example: deciles as ({{ score_monitoring.reference_deciles('(select * from reference_rows)', ['model_name'], 'valid_score') }})
#}
{% macro reference_deciles(relation, group_columns, value_column) %}
    {{- score_monitoring.group_quantiles(relation, group_columns, value_column, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 'decile_') -}}
{%- endmacro %}
