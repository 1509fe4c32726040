{#
  purpose: the PSI that sampling noise alone exceeds with probability about drift_alpha:
           chi2.ppf(1 - drift_alpha, B - 1) (1/n + 1/m) (see the yml docs); NULL when B < 2 or a
           side has no values.
  args: critical_value - SQL expression of chi2.ppf(1 - drift_alpha, B - 1), a column of seed
        chi_square_critical_values joined by chi_square_critical_value_join(); bin_count,
        current_count, reference_count - SQL expressions (B, n, m)
  example: {{ score_monitoring.psi_critical_value('critical_values.critical_value', 'bin_count', 'n', 'm') }} as psi_critical_value
#}
{% macro psi_critical_value(critical_value, bin_count, current_count, reference_count) %}
    {%- set double = score_monitoring.type_double() -%}
    case
        when {{ bin_count }} >= 2 and {{ current_count }} > 0 and {{ reference_count }} > 0
            then {{ critical_value }} * (1 / cast({{ current_count }} as {{ double }}) + 1 / cast({{ reference_count }} as {{ double }}))
    end
{%- endmacro %}
