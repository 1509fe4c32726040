{#
  purpose: the asymptotic p-value of a two-sample KS statistic, scipy.stats.kstwobign.sf(x) with
           x = sqrt(n m / (n + m)) D (see the yml docs for the two series); NULL when D, n or m is
           NULL or n or m is 0.
  args: statistic, current_count, reference_count - SQL expressions (D, n, m)
  example: {{ score_monitoring.ks_p_value('ks_statistic', 'current_value_count', 'reference_value_count') }} as ks_p_value
#}
{% macro ks_p_value(statistic, current_count, reference_count) %}
    {%- set double = score_monitoring.type_double() -%}
    {%- set x = '(sqrt(cast(' ~ current_count ~ ' as ' ~ double ~ ') * cast(' ~ reference_count ~ ' as ' ~ double ~ ') / (cast(' ~ current_count ~ ' as ' ~ double ~ ') + cast(' ~ reference_count ~ ' as ' ~ double ~ '))) * ' ~ statistic ~ ')' -%}
    case
        when {{ statistic }} is null or {{ current_count }} is null or {{ reference_count }} is null or {{ current_count }} = 0 or {{ reference_count }} = 0 then null
        when {{ x }} < 0.1 then cast(1 as {{ double }})
        when {{ x }} < 1 then 1 - sqrt(2 * acos(-1)) / {{ x }} * (
            {%- for k in range(1, 7) %}
            {{ '+ ' if not loop.first }}exp(-{{ (2 * k - 1) ** 2 }} * acos(-1) * acos(-1) / (8 * {{ x }} * {{ x }}))
            {%- endfor %}
        )
        when {{ x }} > 27 then cast(0 as {{ double }})
        else 2 * (
            {%- for k in range(1, 7) %}
            {{ '' if loop.first else '+ ' if loop.index is odd else '- ' }}exp(-{{ 2 * k * k }} * {{ x }} * {{ x }})
            {%- endfor %}
        )
    end
{%- endmacro %}
