{#
  purpose: the first score_date a scan of the inputs needs in this run, as 'YYYY-MM-DD' (a constant
           computed at compile time), or none when the run rebuilds every date (full build: scan
           everything). With the monitoring date as the upper bound, every scan of scores and labels
           filters score_date to a constant range, so BigQuery reads only those daily partitions
           (and DuckDB skips parquet row groups). P = processing_start_date(), M = the monitoring date:
           'current': P (the processed days themselves);
           'reference': the processed days and their drift reference windows, the earliest over
             every model's drift_reference_mode: trailing P - drift_reference_days; fixed
             least(drift_reference_start, P); previous and profile P - var
             previous_reference_max_gap_days (an earlier score date further back than that is no
             reference, in every run);
           'labels': the label cohorts the run may (re)compute: least(P - the largest
             label_horizon_days of any model, M - var label_lookback_days); older cohorts are
             frozen (late labels for them are not read);
           'previous': the processed days and each model's previous score date, whatever its
             drift_reference_mode: P - var previous_reference_max_gap_days (score_stability_daily).
  args: purpose - 'current', 'reference', 'labels' or 'previous'
  example: {% set scan_start = score_monitoring.scan_start_date('reference') %}
           where score_date between {{ score_monitoring.date_literal(scan_start) }} and {{ score_monitoring.date_literal(score_monitoring.monitoring_date()) }}
#}
{% macro scan_start_date(purpose) %}
    {%- set purposes = ['current', 'reference', 'labels', 'previous'] -%}
    {%- if purpose not in purposes -%}
        {{ exceptions.raise_compiler_error("score_monitoring: scan_start_date() purpose must be one of " ~ purposes | join(', ') ~ "; got '" ~ purpose ~ "'") }}
    {%- endif -%}
    {%- set processing_start = score_monitoring.processing_start_date() -%}
    {%- if processing_start is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parse = modules.datetime.datetime.strptime -%}
    {%- set days = modules.datetime.timedelta -%}
    {%- set start = parse(processing_start, '%Y-%m-%d') -%}
    {%- set settings = score_monitoring.monitored_model_settings() -%}
    {%- if purpose == 'reference' -%}
        {%- set starts = [] -%}
        {%- for scope, model_settings in settings.items() -%}
            {%- set mode = model_settings.drift_reference_mode -%}
            {%- if mode == 'trailing' -%}
                {%- do starts.append(start - days(days=model_settings.drift_reference_days | int)) -%}
            {%- elif mode == 'fixed' -%}
                {%- do starts.append([start, parse(model_settings.drift_reference_start | string, '%Y-%m-%d')] | min) -%}
            {%- else -%}
                {%- do starts.append(start - days(days=score_monitoring.setting('previous_reference_max_gap_days') | int)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set start = starts | min -%}
    {%- elif purpose == 'labels' -%}
        {%- set monitoring = parse(score_monitoring.monitoring_date(), '%Y-%m-%d') -%}
        {%- set longest_horizon = settings.values() | map(attribute='label_horizon_days') | max -%}
        {%- set start = [start - days(days=longest_horizon | int), monitoring - days(days=score_monitoring.setting('label_lookback_days') | int)] | min -%}
    {%- elif purpose == 'previous' -%}
        {%- set start = start - days(days=score_monitoring.setting('previous_reference_max_gap_days') | int) -%}
    {%- endif -%}
    {{- return((start | string)[:10]) -}}
{% endmacro %}
