{#
  purpose: ece and mce as aggregate select items over the reliability bins of a group:
           ece = sum(n_b * |mean score_b - observed rate_b|) / sum(n_b); mce = the largest gap over
           non-empty bins. Both NULL when the group has no labelled rows.
  args: row_count, mean_score, observed_rate - SQL expressions of one bin's row count, mean score
        and observed positive rate (empty bins may have NULL means)
  example: select score_date, model_name, {{ score_monitoring.calibration_error_aggregates('row_count', 'mean_score', 'observed_rate') }}
           from calibration_bins group by score_date, model_name
#}
{% macro calibration_error_aggregates(row_count, mean_score, observed_rate) %}
    {%- for name, value in [('row_count', row_count), ('mean_score', mean_score), ('observed_rate', observed_rate)] -%}
        {%- if value is not string or value | length == 0 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: calibration_error_aggregates() needs " ~ name ~ " as a SQL expression string, got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set gap = 'abs(' ~ mean_score ~ ' - ' ~ observed_rate ~ ')' -%}
    {{ score_monitoring.safe_divide('sum(case when ' ~ row_count ~ ' > 0 then ' ~ row_count ~ ' * ' ~ gap ~ ' else 0 end)', 'sum(' ~ row_count ~ ')') }} as ece,
    max(case when {{ row_count }} > 0 then {{ gap }} end) as mce
{%- endmacro %}
