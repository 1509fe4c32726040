{#
  purpose: the first score_date a scan of the inputs needs in this run, as 'YYYY-MM-DD' (a constant
           computed at compile time), or none when the run rebuilds every date (full build: scan
           everything). With the monitoring date as the upper bound, every scan of scores and labels
           filters score_date to a constant range, so BigQuery reads only those daily partitions
           (and DuckDB skips parquet row groups). P = processing_start_date(), M = the monitoring date:
           'current': P (the processed days themselves);
           'reference': the processed days and their drift reference windows, by
             var drift_reference_mode: trailing P - drift_reference_days; fixed
             least(drift_reference_start, P); previous P - previous_reference_max_gap_days (an earlier
             score date further back than that is no reference, in every run);
           'labels': the label cohorts the run may (re)compute: least(P - label_horizon_days,
             M - label_lookback_days); older cohorts are frozen (late labels for them are not read).
           Validates vars previous_reference_max_gap_days and label_lookback_days (integers >= 1).
  args: purpose - 'current', 'reference' or 'labels'
  example: {% set scan_start = score_monitoring.scan_start_date('reference') %}
           where score_date between {{ score_monitoring.date_literal(scan_start) }} and {{ score_monitoring.date_literal(score_monitoring.monitoring_date()) }}
#}
{% macro scan_start_date(purpose) %}
    {%- set purposes = ['current', 'reference', 'labels'] -%}
    {%- if purpose not in purposes -%}
        {{ exceptions.raise_compiler_error("score_monitoring: scan_start_date() purpose must be one of " ~ purposes | join(', ') ~ "; got '" ~ purpose ~ "'") }}
    {%- endif -%}
    {%- for int_var in ['previous_reference_max_gap_days', 'label_lookback_days'] -%}
        {%- set value = var(int_var) -%}
        {%- if value is not number or value is boolean or (value | int) != value or value < 1 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ int_var ~ " must be an integer >= 1; got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set processing_start = score_monitoring.processing_start_date() -%}
    {%- if processing_start is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parse = modules.datetime.datetime.strptime -%}
    {%- set days = modules.datetime.timedelta -%}
    {%- set start = parse(processing_start, '%Y-%m-%d') -%}
    {%- if purpose == 'reference' -%}
        {%- set mode = var('drift_reference_mode') -%}
        {%- if mode == 'trailing' -%}
            {%- set start = start - days(days=var('drift_reference_days') | int) -%}
        {%- elif mode == 'fixed' -%}
            {%- set start = [start, parse(var('drift_reference_start') | string, '%Y-%m-%d')] | min -%}
        {%- else -%}
            {%- set start = start - days(days=var('previous_reference_max_gap_days') | int) -%}
        {%- endif -%}
    {%- elif purpose == 'labels' -%}
        {%- set monitoring = parse(score_monitoring.monitoring_date(), '%Y-%m-%d') -%}
        {%- set start = [start - days(days=var('label_horizon_days') | int), monitoring - days(days=var('label_lookback_days') | int)] | min -%}
    {%- endif -%}
    {{- return((start | string)[:10]) -}}
{% endmacro %}
