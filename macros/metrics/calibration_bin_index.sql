{#
  purpose: the reliability bin of a score: bin_count equal-width bins on [0, 1], the last one
           closed so a score of 1 falls in it (contract: least(floor(score * 10), 9)).
  args: score - SQL expression of a valid score in [0, 1]; bin_count - positive integer (default 10)
  example: {{ score_monitoring.calibration_bin_index('score') }} as bin_index
#}
{% macro calibration_bin_index(score, bin_count=10) %}
    {%- if bin_count is not number or bin_count is boolean or (bin_count | int) != bin_count or bin_count < 1 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: calibration_bin_index() needs bin_count as a positive integer, got '" ~ bin_count ~ "'") }}
    {%- endif -%}
    cast(least(floor({{ score }} * {{ bin_count }}), {{ bin_count - 1 }}) as {{ dbt.type_bigint() }})
{%- endmacro %}
