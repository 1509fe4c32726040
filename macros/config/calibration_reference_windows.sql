{#
  purpose: each settings scope's calibration reference window as ('YYYY-MM-DD', 'YYYY-MM-DD'):
           calibration_reference_start .. calibration_reference_end when set, else the
           calibration_reference_days days ending at the monitoring date minus the scope's
           label_horizon_days (the latest cohorts that can be due).
  args: none
  example: {% for scope, window in score_monitoring.calibration_reference_windows().items() %} ... {% endfor %}
#}
{% macro calibration_reference_windows() %}
    {%- set monitoring_date = modules.datetime.date.fromisoformat(score_monitoring.monitoring_date()) -%}
    {%- set windows = {} -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- if settings.calibration_reference_start -%}
            {%- do windows.update({scope: (settings.calibration_reference_start | string, settings.calibration_reference_end | string)}) -%}
        {%- else -%}
            {%- set window_end = monitoring_date - modules.datetime.timedelta(days=settings.label_horizon_days) -%}
            {%- set window_start = window_end - modules.datetime.timedelta(days=settings.calibration_reference_days - 1) -%}
            {%- do windows.update({scope: (window_start.isoformat(), window_end.isoformat())}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(windows) -}}
{% endmacro %}
