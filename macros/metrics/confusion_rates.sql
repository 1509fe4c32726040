{#
  purpose: select items <prefix>precision, <prefix>recall, <prefix>f1 and <prefix>accuracy from
           the four confusion counts (observed or expected), NULL when a denominator is 0.
  args: tp, fp, fn, tn - SQL expressions of the counts; prefix - output column prefix (default '')
  example: select {{ score_monitoring.confusion_rates('tp', 'fp', 'fn', 'tn', 'estimated_') }} from expected_counts
#}
{% macro confusion_rates(tp, fp, fn, tn, prefix='') %}
    {{- score_monitoring.safe_divide(tp, tp ~ ' + ' ~ fp) }} as {{ prefix }}precision,
    {{ score_monitoring.safe_divide(tp, tp ~ ' + ' ~ fn) }} as {{ prefix }}recall,
    {{ score_monitoring.safe_divide('2 * ' ~ tp, '2 * ' ~ tp ~ ' + ' ~ fp ~ ' + ' ~ fn) }} as {{ prefix }}f1,
    {{ score_monitoring.safe_divide(tp ~ ' + ' ~ tn, tp ~ ' + ' ~ fp ~ ' + ' ~ fn ~ ' + ' ~ tn) }} as {{ prefix }}accuracy
{%- endmacro %}
