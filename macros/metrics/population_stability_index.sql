{#
  purpose: PSI aggregated over the bins of a group: sum of (c - r) * ln(c / r), where a share of
           exactly 0 is replaced by 0.0001 and shares are not renormalised.
  args: current_share, reference_share - SQL expressions of the per-bin shares
  example: select {{ score_monitoring.population_stability_index('current_share', 'reference_share') }} as psi
           from bins group by score_date, model_name
#}
{% macro population_stability_index(current_share, reference_share) %}
    {%- set floored_current = 'case when ' ~ current_share ~ ' = 0 then 0.0001 else ' ~ current_share ~ ' end' -%}
    {%- set floored_reference = 'case when ' ~ reference_share ~ ' = 0 then 0.0001 else ' ~ reference_share ~ ' end' -%}
    sum(
        (({{ floored_current }}) - ({{ floored_reference }}))
        * ln(({{ floored_current }}) / ({{ floored_reference }}))
    )
{%- endmacro %}
