{#
  purpose: Jensen-Shannon distance, base 2, aggregated over the bins of a group
           (= scipy.spatial.distance.jensenshannon(p, q, base=2) for shares that sum to 1).
  args: current_share, reference_share - SQL expressions of the per-bin shares
  example: select {{ score_monitoring.jensen_shannon_distance('current_share', 'reference_share') }} as js_distance
           from bins group by score_date, model_name
#}
{% macro jensen_shannon_distance(current_share, reference_share) %}
    {%- set midpoint = '((' ~ current_share ~ ') + (' ~ reference_share ~ ')) / 2' -%}
    {#- greatest() keeps sqrt off a -1e-17 rounding residue when the distributions are equal. -#}
    sqrt(greatest(0, (
        sum(case when {{ current_share }} > 0 then ({{ current_share }}) * ln(({{ current_share }}) / ({{ midpoint }})) else 0 end)
        + sum(case when {{ reference_share }} > 0 then ({{ reference_share }}) * ln(({{ reference_share }}) / ({{ midpoint }})) else 0 end)
    ) / (2 * ln(2))))
{%- endmacro %}
