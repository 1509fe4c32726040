{#
  purpose: the version-change rule of a drift check as a (condition, note) pair of SQL for
           check_registry(): on a day whose model version differs from every version of its
           reference (int_version_windows.is_version_change), the check is at most warn and its
           message says "model version changed from vA to vB". None when no model has
           version_aware_reference on.
  args: row_alias - the alias of the family's row, holding is_version_change, reference_versions
        and current_versions
  example: 'cap': score_monitoring.version_change_cap('model_day')
#}
{% macro version_change_cap(row_alias) %}
    {%- set aware = [] -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() if settings.version_aware_reference -%}
        {%- do aware.append(scope) -%}
    {%- endfor -%}
    {%- if not aware -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return((
        "coalesce(" ~ row_alias ~ ".is_version_change, false)",
        "concat('model version changed from ', " ~ row_alias ~ ".reference_versions, ' to ', " ~ row_alias ~ ".current_versions)",
    )) }}
{% endmacro %}
