{#
  purpose: the one status rule for a group of checks: pass_count, warn_count, fail_count and the
           worst status (fail over warn over pass), as select columns over a GROUP BY.
  args: status_column - the SQL column holding each check's status
  example: select model_name, {{ score_monitoring.status_rollup('checks.status') }} from checks group by model_name
#}
{% macro status_rollup(status_column) %}
    case
        when {{ score_monitoring.count_where(status_column ~ " = 'fail'") }} > 0 then 'fail'
        when {{ score_monitoring.count_where(status_column ~ " = 'warn'") }} > 0 then 'warn'
        else 'pass'
    end as overall_status,
    {{ score_monitoring.count_where(status_column ~ " = 'pass'") }} as pass_count,
    {{ score_monitoring.count_where(status_column ~ " = 'warn'") }} as warn_count,
    {{ score_monitoring.count_where(status_column ~ " = 'fail'") }} as fail_count
{%- endmacro %}
