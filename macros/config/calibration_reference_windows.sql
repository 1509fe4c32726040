{#
  purpose: the calibration reference window of each processed day as a pair of SQL DATE
           expressions over that day's score_date column: calibration_reference_start ..
           calibration_reference_end when the model sets them, else the calibration_reference_days
           days ending at score_date minus the model's label_horizon_days (the latest cohorts due
           on that day; on the monitoring date, the contract's window). A day's estimate then uses
           only labels of cohorts due by that day, the same in a daily run and a full refresh.
  args: score_date - the SQL expression of the processed day; model_column - of its model_name
  example: {% set window = score_monitoring.calibration_reference_windows('windows.score_date', 'windows.model_name') %}
#}
{% macro calibration_reference_windows(score_date, model_column) %}
    {%- set starts = {} -%}
    {%- set ends = {} -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- if settings.calibration_reference_start -%}
            {%- do starts.update({scope: score_monitoring.date_literal(settings.calibration_reference_start | string)}) -%}
            {%- do ends.update({scope: score_monitoring.date_literal(settings.calibration_reference_end | string)}) -%}
        {%- else -%}
            {%- do starts.update({scope: score_monitoring.add_days(score_date, -(settings.label_horizon_days + settings.calibration_reference_days - 1))}) -%}
            {%- do ends.update({scope: score_monitoring.add_days(score_date, -settings.label_horizon_days)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return((score_monitoring.per_model_case(model_column, starts), score_monitoring.per_model_case(model_column, ends))) -}}
{% endmacro %}
