{#
  purpose: the score dates whose label cohorts this run (re)builds in the incremental label models,
           as a sorted list of 'YYYY-MM-DD' (compile-time constants, so BigQuery prunes every scan
           to those partitions), or none when the model rebuilds every date (a full build, or the
           model's table does not exist yet). The dates are those of the processed days
           (processing_start_date() to the monitoring date: new scores) and every earlier date of
           the label window with a cohort whose labels changed (int_label_fingerprints.is_changed).
           Every label model of one run gets the same list.
  args: none
  example: where {{ score_monitoring.score_date_list_filter('score_date', score_monitoring.label_score_dates()) }}
#}
{% macro label_score_dates() %}
    {%- if not execute or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set processing_start = score_monitoring.processing_start_date() -%}
    {%- if processing_start is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parse = modules.datetime.datetime.strptime -%}
    {%- set day = parse(processing_start, '%Y-%m-%d') -%}
    {%- set last = parse(score_monitoring.monitoring_date(), '%Y-%m-%d') -%}
    {%- set dates = [] -%}
    {%- for offset in range((last - day).days + 1) -%}
        {%- do dates.append(((day + modules.datetime.timedelta(days=offset)) | string)[:10]) -%}
    {%- endfor -%}
    {%- set changed = run_query('select distinct score_date from ' ~ ref('int_label_fingerprints') ~ ' where is_changed') -%}
    {%- for value in changed.columns[0].values() -%}
        {%- do dates.append((value | string)[:10]) -%}
    {%- endfor -%}
    {{- return(dates | unique | sort | list) -}}
{% endmacro %}
