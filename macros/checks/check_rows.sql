{#
  purpose: the long-format rows of a list of checks (score_date, model_name, check_family,
           check_name, subject, metric_value, unavailable_reason, noise_note: why a drift metric is
           within sampling noise, else NULL; cap_note: why the check is at most warn, else NULL): one SELECT per check over the
           relation holding the family's rows, unioned.
  args: checks - entries of check_registry(), all of one family; relation - relation / CTE with
        score_date, model_name and every column the checks' SQL reads
  example: check_metrics as ({{ score_monitoring.check_rows(score_monitoring.check_registry('score'), 'model_days') }})
#}
{% macro check_rows(checks, relation) %}
    {%- if not checks -%}
        {{ exceptions.raise_compiler_error("score_monitoring: check_rows() got no checks for " ~ relation) }}
    {%- endif -%}
    {%- set string_type = dbt.type_string() -%}
    {%- for check in checks %}
    {{ 'union all' if not loop.first }}
    select
        {{ check.row_alias }}.score_date,
        {{ check.row_alias }}.model_name,
        cast('{{ check.family }}' as {{ string_type }}) as check_family,
        cast('{{ check.name }}' as {{ string_type }}) as check_name,
        {{ check.get('subject') or 'cast(null as ' ~ string_type ~ ')' }} as subject,
        cast({{ check.metric }} as {{ score_monitoring.type_double() }}) as metric_value,
        {{ score_monitoring.first_reason(check.reasons) }} as unavailable_reason,
        {%- if check.noise %}
        case when {{ check.noise[0] }} then {{ check.noise[1] }} end as noise_note,
        {%- else %}
        cast(null as {{ string_type }}) as noise_note,
        {%- endif %}
        {%- if check.cap %}
        case when {{ check.cap[0] }} then {{ check.cap[1] }} end as cap_note
        {%- else %}
        cast(null as {{ string_type }}) as cap_note
        {%- endif %}
    from {{ relation }} as {{ check.row_alias }}
    {%- set conditions = ([check.row_alias ~ ".feature_type in ('" ~ check.types | join("', '") ~ "')"] if check.types else []) + ([check.where] if check.where else []) %}
    {%- if conditions %}
    where {{ conditions | join(' and ') }}
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
