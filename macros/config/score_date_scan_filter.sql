{#
  purpose: the WHERE predicate that bounds a scan of the inputs on score_date with constants, so
           BigQuery prunes partitions (and DuckDB skips parquet row groups): between the scan start
           and the end date, or only up to the end date when the start is none (a full build).
  args: column - the score_date column (qualified if needed); start_date - 'YYYY-MM-DD' or none
        (from scan_start_date()); end_date - 'YYYY-MM-DD' (usually the monitoring date)
  example: where {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', score_monitoring.scan_start_date('current'), score_monitoring.monitoring_date()) }}
#}
{% macro score_date_scan_filter(column, start_date, end_date) %}
    {%- if end_date is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: score_date_scan_filter() needs an end_date ('YYYY-MM-DD') for " ~ column) }}
    {%- endif -%}
    {%- if start_date is none -%}
        {{- return(column ~ ' <= ' ~ score_monitoring.date_literal(end_date)) -}}
    {%- endif -%}
    {{- return(column ~ ' between ' ~ score_monitoring.date_literal(start_date) ~ ' and ' ~ score_monitoring.date_literal(end_date)) -}}
{% endmacro %}
