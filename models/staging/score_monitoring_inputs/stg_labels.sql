{#- Adapts the outcomes input to the contract: typed key columns, the label as given (an integer)
    and a validity flag, so invalid labels are counted downstream instead of being used. With no
    outcomes input configured (labels_enabled() false) it is empty. -#}
{%- do score_monitoring.validate_config() -%}
{%- set string_type = dbt.type_string() -%}
{%- set labels_enabled = score_monitoring.labels_enabled() -%}
{%- if labels_enabled -%}
    {%- set columns = score_monitoring.input_columns('labels') -%}
    {%- do score_monitoring.require_columns(columns, ['model_name', 'score_date', 'entity_id', 'label'], 'labels', 'the data contract') -%}
{%- else -%}
    {%- set columns = {'label': 'BIGINT'} -%}
{%- endif -%}
{%- set label_is_integer = 'INT' in columns.get('label', '') -%}

with source_labels as (

    {%- if labels_enabled %}
    select * from {{ score_monitoring.input_relation('labels') }}
    {%- else %}
    select
        cast(null as {{ string_type }}) as model_name,
        cast(null as date) as score_date,
        cast(null as {{ string_type }}) as entity_id,
        cast(null as {{ dbt.type_bigint() }}) as label  -- noqa: RF04
    from (select 1 as placeholder) as no_labels
    where 1 = 0
    {%- endif %}

),

final as (

    select
        cast(model_name as {{ string_type }}) as model_name,
        cast(score_date as date) as score_date,
        cast(entity_id as {{ string_type }}) as entity_id,
        {#- label is a keyword to the linter but the contract's column name. #}
        {%- if label_is_integer %}
        cast(label as {{ dbt.type_bigint() }}) as label,  -- noqa: RF04
        {%- else %}
        {#- A non-integer label column: 0.7 must not round into {0, 1} and NaN cannot be cast, so only valid values are kept. #}
        case when coalesce(label in (0, 1), false) then cast(label as {{ dbt.type_bigint() }}) end as label,  -- noqa: RF04
        {%- endif %}
        coalesce(label in (0, 1), false) as is_valid_label
    from source_labels

)

select * from final
