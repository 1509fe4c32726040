{#
  purpose: the score dates a label mart (re)computes this run, as a sorted list of 'YYYY-MM-DD'
           (compile-time constants, so its reads of the label building blocks are pruned to those
           partitions), or none on a full build of the mart: the dates of
           label_cohorts_to_process(), queried at compile time from the small int_label_cohorts.
  args: skip_unlabelled - as in label_cohorts_to_process()
  example: where {{ score_monitoring.score_date_list_filter('score_date', score_monitoring.label_mart_dates()) }}
#}
{% macro label_mart_dates(skip_unlabelled=false) %}
    {%- if not execute or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set cohorts = score_monitoring.label_cohorts_to_process(ref('int_label_cohorts'), skip_unlabelled) -%}
    {%- set found = run_query('select distinct score_date from (' ~ cohorts ~ ') as cohorts_to_process') -%}
    {%- set dates = [] -%}
    {%- for value in found.columns[0].values() -%}
        {%- do dates.append((value | string)[:10]) -%}
    {%- endfor -%}
    {{- return(dates | sort | list) -}}
{% endmacro %}
