{#
  purpose: the significance rule of a drift check as a (condition, note) pair of SQL for
           check_registry(): the condition holds when the metric is within sampling noise, and the
           note then says why (the critical value or p-value, n and m). A breach within noise is a
           pass (evaluate_checks()). None when var drift_require_significance is false.
  args: test - 'critical' (noise when metric <= significance) or 'p_value' (noise when
        significance >= var drift_alpha); metric, significance, current_count, reference_count -
        SQL expressions; significance_name - how the note names the significance column
  example: {% set noise = score_monitoring.drift_noise('critical', 'model_day.psi', 'model_day.psi_critical_value', 'model_day.current_row_count', 'model_day.reference_row_count', 'psi_critical_value') %}
#}
{% macro drift_noise(test, metric, significance, current_count, reference_count, significance_name) %}
    {%- if test not in ['critical', 'p_value'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: drift_noise() takes test 'critical' or 'p_value'; got '" ~ test ~ "'") }}
    {%- endif -%}
    {%- if not score_monitoring.setting('drift_require_significance') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set alpha = score_monitoring.setting('drift_alpha') -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set sizes = "' at n = ', cast(" ~ current_count ~ " as " ~ string_type ~ "), ', m = ', cast(" ~ reference_count ~ " as " ~ string_type ~ ")" -%}
    {%- if test == 'critical' -%}
        {%- set condition = metric ~ " <= " ~ significance -%}
        {%- set note = "concat('within sampling noise: " ~ significance_name ~ " ', " ~ score_monitoring.format_number(significance) ~ ", " ~ sizes ~ ", ' (drift_alpha " ~ alpha ~ ")')" -%}
    {%- else -%}
        {%- set condition = significance ~ " >= " ~ alpha -%}
        {%- set note = "concat('within sampling noise: " ~ significance_name ~ " ', " ~ score_monitoring.format_number(significance) ~ ", ' >= drift_alpha " ~ alpha ~ "', " ~ sizes ~ ")" -%}
    {%- endif -%}
    {{ return((condition, note)) }}
{% endmacro %}
