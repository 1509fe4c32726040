{#
  purpose: pass / warn / fail of a metric against its thresholds; NULL metric (not computable) is warn.
           direction 'above': bad when metric > threshold; 'below': bad when metric < threshold.
           A NULL threshold disables that level; with both NULL the check is off: always pass.
  args: metric, direction, warn_threshold, fail_threshold - SQL expressions
  example: {{ score_monitoring.check_status('metric_value', 'direction', 'warn_threshold', 'fail_threshold') }} as status
#}
{% macro check_status(metric, direction, warn_threshold, fail_threshold) -%}
    case
        when {{ warn_threshold }} is null and {{ fail_threshold }} is null then 'pass'
        when {{ metric }} is null then 'warn'
        when {{ direction }} = 'above' and {{ metric }} > {{ fail_threshold }} then 'fail'
        when {{ direction }} = 'below' and {{ metric }} < {{ fail_threshold }} then 'fail'
        when {{ direction }} = 'above' and {{ metric }} > {{ warn_threshold }} then 'warn'
        when {{ direction }} = 'below' and {{ metric }} < {{ warn_threshold }} then 'warn'
        else 'pass'
    end
{%- endmacro %}
