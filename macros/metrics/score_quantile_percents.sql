{#
  purpose: the score quantiles that score_health_daily reports, in percent (contract: p01 .. p99).
  args: none
  example: {% for percent in score_monitoring.score_quantile_percents() %} score_p{{ '%02d' % percent }} {% endfor %}
#}
{% macro score_quantile_percents() %}
    {{- return([1, 5, 10, 25, 50, 75, 90, 95, 99]) -}}
{% endmacro %}
