{#
  purpose: select items current_share and reference_share of a drift bin: its count over the
           subject's count on that side (window sums per score_date, model_name, feature_name),
           NULL when that side has no values.
  args: none (reads columns current_count and reference_count)
  example: select *, {{ score_monitoring.drift_bin_shares() }} from bin_counts
#}
{% macro drift_bin_shares() %}
    {{- score_monitoring.safe_divide('current_count', 'sum(current_count) over (partition by score_date, model_name, feature_name)') }} as current_share,
    {{ score_monitoring.safe_divide('reference_count', 'sum(reference_count) over (partition by score_date, model_name, feature_name)') }} as reference_share
{%- endmacro %}
