{#
  purpose: a CASE giving the first matching explanation of why a check metric is not computable.
  args: reasons - list of (condition SQL, message SQL) pairs, in priority order; [] gives NULL
  example: {{ score_monitoring.first_reason([('row_count = 0', "'no rows scored'")]) }} as unavailable_reason
#}
{% macro first_reason(reasons) -%}
    {%- if reasons | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        case
            {%- for condition, message in reasons %}
            when {{ condition }} then {{ message }}
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}
