{#
  purpose: a query giving the expected ROC AUC per group from calibrated probabilities q (CBPE,
           see the yml docs) without a cross join: one row per distinct score with Q = sum q and
           N = sum (1 - q), the N of the lower scores by a window, then
           (sum Q N_below + 1/2 sum Q N) / (sum Q sum N). NULL when sum Q or sum N is 0.
  args: relation - a relation or CTE name with one row per scored row; group_columns - list of
        columns; score_column - the raw score (NULLs ignored); probability_column - q
  example: estimated_auc as ({{ score_monitoring.expected_roc_auc('calibrated_scores', ['score_date', 'model_name'], 'score', 'calibrated_probability') }})
#}
{% macro expected_roc_auc(relation, group_columns, score_column, probability_column) %}
    {%- if group_columns is string or group_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: expected_roc_auc() needs group_columns as a non-empty list, got '" ~ group_columns ~ "'") }}
    {%- endif -%}
    {%- if not relation or not score_column or not probability_column -%}
        {{ exceptions.raise_compiler_error("score_monitoring: expected_roc_auc() needs relation, score_column and probability_column") }}
    {%- endif -%}
    {%- set groups = group_columns | join(', ') -%}
    with expected_at_score as (
        select
            {{ groups }},
            {{ score_column }} as auc_score,
            sum({{ probability_column }}) as expected_positives,
            sum(1 - {{ probability_column }}) as expected_negatives
        from {{ relation }}
        where {{ score_column }} is not null and {{ probability_column }} is not null
        group by {{ groups }}, {{ score_column }}
    ),

    expected_below as (
        select
            {{ groups }},
            expected_positives,
            expected_negatives,
            coalesce(sum(expected_negatives) over (
                partition by {{ groups }} order by auc_score rows between unbounded preceding and 1 preceding
            ), 0) as negatives_below
        from expected_at_score
    ),

    pair_sums as (
        select
            {{ groups }},
            sum(expected_positives) as expected_positive_total,
            sum(expected_negatives) as expected_negative_total,
            sum(expected_positives * negatives_below + expected_positives * expected_negatives / 2) as ordered_pairs
        from expected_below
        group by {{ groups }}
    )

    select
        {{ groups }},
        expected_positive_total,
        expected_negative_total,
        case
            when expected_positive_total > 0 and expected_negative_total > 0
                then ordered_pairs / (expected_positive_total * expected_negative_total)
        end as expected_auc
    from pair_sums
{%- endmacro %}
