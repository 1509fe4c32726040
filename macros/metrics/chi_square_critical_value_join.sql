{#
  purpose: a LEFT JOIN clause to seed chi_square_critical_values (scipy's chi2.ppf, written by
           scripts/generate_chi_square_table.py) at var drift_alpha and the given degrees of freedom.
  args: degrees_of_freedom - SQL expression; alias - the alias of the joined seed (default 'critical_values')
  example: from bins {{ score_monitoring.chi_square_critical_value_join('bins.bin_count - 1') }}
#}
{% macro chi_square_critical_value_join(degrees_of_freedom, alias='critical_values') %}
    left join {{ ref('chi_square_critical_values') }} as {{ alias }}
        on
            {{ alias }}.degrees_of_freedom = {{ degrees_of_freedom }}
            and {{ alias }}.alpha = {{ score_monitoring.setting('drift_alpha') }}
{%- endmacro %}
