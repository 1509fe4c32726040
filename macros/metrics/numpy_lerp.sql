{#
  purpose: numpy's linear interpolation between a and b at weight t, as numpy.quantile computes
           it (a + (b - a) t below t = 0.5, b - (b - a)(1 - t) from 0.5 on), so an exact quantile
           is the same double as numpy's.
  args: lower, upper, weight - SQL expressions (doubles; weight in [0, 1))
  example: {{ score_monitoring.numpy_lerp('lower_value', 'upper_value', 'position - floor(position)') }}
#}
{% macro numpy_lerp(lower, upper, weight) -%}
    case
        when {{ weight }} >= 0.5 then {{ upper }} - ({{ upper }} - {{ lower }}) * (1 - {{ weight }})
        else {{ lower }} + ({{ upper }} - {{ lower }}) * {{ weight }}
    end
{%- endmacro %}
