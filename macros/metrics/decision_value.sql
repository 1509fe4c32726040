{#
  purpose: the money a day's decisions made, from its confusion counts (observed or expected) and
           the model's per-model values and costs: tp * value_per_true_positive
           - fp * cost_per_false_positive - fn * cost_per_false_negative
           - decisions * cost_per_decision - reviews * cost_per_review (settings default 0).
  args: tp, fp, fn, decisions, reviews - SQL expressions of the counts (reviews NULL counts as 0);
        model_column - the SQL expression holding model_name
  example: {{ score_monitoring.decision_value('p.true_positive_count', 'p.false_positive_count', 'p.false_negative_count', 'h.decision_count', 'h.review_count', 'h.model_name') }}
#}
{% macro decision_value(tp, fp, fn, decisions, reviews, model_column) %}
    {%- set double_type = score_monitoring.type_double() -%}
    ({{ tp }}) * cast({{ score_monitoring.setting_sql('value_per_true_positive', model_column) }} as {{ double_type }})
    - ({{ fp }}) * cast({{ score_monitoring.setting_sql('cost_per_false_positive', model_column) }} as {{ double_type }})
    - ({{ fn }}) * cast({{ score_monitoring.setting_sql('cost_per_false_negative', model_column) }} as {{ double_type }})
    - ({{ decisions }}) * cast({{ score_monitoring.setting_sql('cost_per_decision', model_column) }} as {{ double_type }})
    - coalesce({{ reviews }}, 0) * cast({{ score_monitoring.setting_sql('cost_per_review', model_column) }} as {{ double_type }})
{%- endmacro %}
