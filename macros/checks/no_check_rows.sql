{#
  purpose: an empty query with the long-format columns of check_rows(), for a check family none
           of whose checks applies (no model has the settings it needs).
  args: family - the check family, e.g. 'segment'
  example: {% if not checks %}{{ score_monitoring.no_check_rows('segment') }}{% endif %}
#}
{% macro no_check_rows(family) %}
    {%- set string_type = dbt.type_string() -%}
select
    score_date,
    model_name,
    cast('{{ family }}' as {{ string_type }}) as check_family,
    cast(null as {{ string_type }}) as check_name,
    cast(null as {{ string_type }}) as subject,
    cast(null as {{ score_monitoring.type_double() }}) as metric_value,
    cast(null as {{ string_type }}) as unavailable_reason,
    cast(null as {{ string_type }}) as noise_note,
    cast(null as {{ string_type }}) as cap_note
from {{ ref('int_monitoring_windows') }}
where false
{%- endmacro %}
