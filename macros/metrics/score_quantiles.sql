{#
  purpose: a query with score_health_daily's score quantiles (score_quantile_percents()) of the
           valid scores per group, as columns score_p01 .. score_p99 (group_quantiles).
  args: relation - a relation or parenthesised subquery of staged score rows (valid_score);
        group_columns - non-empty list of columns
  example: quantiles as ({{ score_monitoring.score_quantiles('(select * from day_scores)', ['score_date', 'model_name']) }})
#}
{% macro score_quantiles(relation, group_columns) %}
    {%- set percents = score_monitoring.score_quantile_percents() -%}
    {%- set probabilities = [] -%}
    {%- for percent in percents %}{% do probabilities.append(percent / 100) %}{% endfor -%}
    select
        {%- for column in group_columns %}
        score_quantile_groups.{{ column }},
        {%- endfor %}
        {%- for percent in percents %}
        score_quantile_groups.score_quantile_{{ loop.index }} as score_p{{ '%02d' % percent }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ score_monitoring.group_quantiles(relation, group_columns, 'valid_score', probabilities, 'score_quantile_') }}) as score_quantile_groups
{%- endmacro %}
