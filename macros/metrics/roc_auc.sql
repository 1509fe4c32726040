{#
  purpose: a query giving the exact ROC AUC per group with ties averaged (= sklearn
           roc_auc_score) by the Mann-Whitney rank sum, without a cross join: one row per distinct
           score, cumulative counts by a window, the average rank of a tied value =
           count through the value - (count at the value - 1) / 2, and
           auc = (positive rank sum - P (P + 1) / 2) / (P N). The rank sum is kept doubled in
           integers, so the only rounding is the final division. auc is NULL when the group has one
           class only; positive_count and negative_count say which.
  args: relation - a relation or CTE name with one row per labelled row; group_columns - list of
        columns; score_column - the score; label_column - the 0/1 label (other values ignored)
  example: auc as ({{ score_monitoring.roc_auc('labelled_scores', ['score_date', 'model_name'], 'score', 'label') }})
#}
{% macro roc_auc(relation, group_columns, score_column, label_column) %}
    {%- if group_columns is string or group_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: roc_auc() needs group_columns as a non-empty list, got '" ~ group_columns ~ "'") }}
    {%- endif -%}
    {%- if not relation or not score_column or not label_column -%}
        {{ exceptions.raise_compiler_error("score_monitoring: roc_auc() needs relation, score_column and label_column") }}
    {%- endif -%}
    {{- return(adapter.dispatch('roc_auc', 'score_monitoring')(relation, group_columns, score_column, label_column)) -}}
{% endmacro %}

{% macro default__roc_auc(relation, group_columns, score_column, label_column) %}
    {%- set groups = group_columns | join(', ') -%}
    with score_value_counts as (
        select
            {{ groups }},
            {{ score_column }} as auc_score,
            {{ score_monitoring.count_where(label_column ~ ' = 1') }} as positive_at_score,
            count(*) as count_at_score
        from {{ relation }}
        where {{ score_column }} is not null and {{ label_column }} in (0, 1)
        group by {{ groups }}, {{ score_column }}
    ),

    cumulative_counts as (
        select
            {{ groups }},
            positive_at_score,
            count_at_score,
            sum(count_at_score) over (partition by {{ groups }} order by auc_score rows between unbounded preceding and current row) as count_through_score
        from score_value_counts
    ),

    rank_sums as (
        select
            {{ groups }},
            sum(positive_at_score) as positive_count,
            sum(count_at_score - positive_at_score) as negative_count,
            sum(positive_at_score * (2 * count_through_score - count_at_score + 1)) as doubled_positive_rank_sum
        from cumulative_counts
        group by {{ groups }}
    )

    select
        {{ groups }},
        cast(positive_count as {{ dbt.type_bigint() }}) as positive_count,
        cast(negative_count as {{ dbt.type_bigint() }}) as negative_count,
        case
            when positive_count > 0 and negative_count > 0
                then cast(doubled_positive_rank_sum - positive_count * (positive_count + 1) as {{ score_monitoring.type_double() }})
                / (2 * cast(positive_count as {{ score_monitoring.type_double() }}) * negative_count)
        end as auc
    from rank_sums
{%- endmacro %}
