{#
  purpose: the first score date this run (re)computes, as 'YYYY-MM-DD', or none for every date.
           Incremental runs resume after the oldest "latest date" among the monitoring tables, so a
           skipped day is caught up, and always include the monitoring date (a re-run replaces it).
           A missing monitoring table or --full-refresh means a full rebuild.
  args: none
  example: {% set start = score_monitoring.processing_start_date() %}
#}
{% macro processing_start_date() %}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set latest_date_queries = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.package_name == 'score_monitoring'
        and node.config.meta.get('monitoring_state', false) -%}
        {%- set relation = score_monitoring.state_relation(node.name) -%}
        {%- if relation is none -%}
            {{- return(none) -}}
        {%- endif -%}
        {%- do latest_date_queries.append('select max(score_date) as latest_date from ' ~ relation) -%}
    {%- endfor -%}
    {%- if not latest_date_queries -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set oldest_latest = run_query('select min(latest_date) from (' ~ latest_date_queries | join(' union all ') ~ ') as latest_dates').columns[0].values()[0] -%}
    {%- if oldest_latest is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parse = modules.datetime.datetime.strptime -%}
    {%- set resume = parse((oldest_latest | string)[:10], '%Y-%m-%d') + modules.datetime.timedelta(days=1) -%}
    {%- set monitoring = parse(score_monitoring.monitoring_date(), '%Y-%m-%d') -%}
    {{- return((([resume, monitoring] | min) | string)[:10]) -}}
{% endmacro %}
