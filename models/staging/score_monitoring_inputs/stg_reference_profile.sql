{#- Adapts the reference profile input (drift_reference_mode 'profile') to typed columns: one
    row per bin of a model's drift subject. Empty when no profile input is configured. Its
    validation (contiguous bins, sorted edges) is in int_reference_profile. -#}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = score_monitoring.type_double() -%}
{%- set bigint_type = dbt.type_bigint() -%}
{%- set profile_enabled = score_monitoring.reference_profile_enabled() -%}
{%- if profile_enabled -%}
    {%- set columns = score_monitoring.input_columns('reference_profile') -%}
    {%- do score_monitoring.require_columns(columns, ['model_name', 'feature_name', 'bin_index', 'lower_edge', 'upper_edge', 'category_value', 'reference_count'], 'reference_profile', 'drift_reference_mode profile (README, "Reference profiles")') -%}
{%- endif %}

with source_profile as (

    {%- if profile_enabled %}
    select * from {{ score_monitoring.input_relation('reference_profile') }}
    {%- else %}
    select
        cast(null as {{ string_type }}) as model_name,
        cast(null as {{ string_type }}) as feature_name,
        cast(null as {{ bigint_type }}) as bin_index,
        cast(null as {{ double_type }}) as lower_edge,
        cast(null as {{ double_type }}) as upper_edge,
        cast(null as {{ string_type }}) as category_value,
        cast(null as {{ bigint_type }}) as reference_count
    from (select 1 as placeholder) as no_profile
    where 1 = 0
    {%- endif %}

),

final as (

    select
        cast(model_name as {{ string_type }}) as model_name,
        cast(feature_name as {{ string_type }}) as feature_name,
        cast(bin_index as {{ bigint_type }}) as bin_index,
        cast(lower_edge as {{ double_type }}) as lower_edge,
        cast(upper_edge as {{ double_type }}) as upper_edge,
        cast(category_value as {{ string_type }}) as category_value,
        cast(reference_count as {{ bigint_type }}) as reference_count
    from source_profile

)

select * from final
