{#
  purpose: a per-model setting as a SQL value for each row (a number, a boolean, a quoted string, a DATE for
           the drift and calibration reference start / end, NULL when unset), through per_model_case().
  args: key - a per-model setting (number, string or date valued); model_column - the SQL
        expression holding model_name
  example: {{ score_monitoring.add_days('score_date', score_monitoring.setting_sql('label_horizon_days', 'model_name')) }}
#}
{% macro setting_sql(key, model_column) %}
    {%- set values = {} -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- set value = settings[key] -%}
        {%- if value is none -%}
            {%- do values.update({scope: 'null'}) -%}
        {%- elif key in ['drift_reference_start', 'drift_reference_end', 'calibration_reference_start', 'calibration_reference_end'] -%}
            {%- do values.update({scope: score_monitoring.date_literal(value)}) -%}
        {%- elif value is boolean -%}
            {%- do values.update({scope: 'true' if value else 'false'}) -%}
        {%- elif value is number -%}
            {%- do values.update({scope: value | string}) -%}
        {%- elif value is string -%}
            {%- do values.update({scope: "'" ~ value ~ "'"}) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error("score_monitoring: setting_sql() takes a number, string or date setting; '" ~ key ~ "' is '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(score_monitoring.per_model_case(model_column, values)) -}}
{% endmacro %}
