{{ config(materialized='view') }}
{#- The values that drift is measured on, unpivoted once into long form: the score (valid scores
    only) and every configured feature, for the current day and for its reference window. A view,
    so the engine streams it into the edge, bin and KS aggregates instead of storing it. -#}
{%- do score_monitoring.validate_config() -%}
{%- set numeric_features = var('numeric_features') -%}
{%- set categorical_features = var('categorical_features') -%}
{%- set value_columns = ['valid_score'] + numeric_features + categorical_features -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}

),

current_rows as (

    select
        windows.score_date,
        windows.model_name,
        'current' as side
        {%- for column in value_columns %},
        staged_scores.{{ column }}
        {%- endfor %}
    from windows
    inner join staged_scores
        on
            windows.model_name = staged_scores.model_name
            and windows.score_date = staged_scores.score_date

),

reference_rows as (

    select
        windows.score_date,
        windows.model_name,
        'reference' as side
        {%- for column in value_columns %},
        staged_scores.{{ column }}
        {%- endfor %}
    from windows
    inner join staged_scores
        on
            windows.model_name = staged_scores.model_name
            and staged_scores.score_date between windows.reference_start and windows.reference_end

),

compared_rows as (

    select * from current_rows
    union all
    select * from reference_rows

),

monitored_features as (

    {%- for feature in score_monitoring.drift_features() %}
    {{ 'union all' if not loop.first }}
    select '{{ feature.name }}' as feature_name, '{{ feature.type }}' as feature_type
    {%- endfor %}

),

unpivoted_values as (

    select
        compared_rows.score_date,
        compared_rows.model_name,
        compared_rows.side,
        monitored_features.feature_name,
        monitored_features.feature_type,
        case monitored_features.feature_name
            when 'score' then compared_rows.valid_score
            {%- for feature in numeric_features %}
            when '{{ feature }}' then compared_rows.{{ feature }}
            {%- endfor %}
        end as numeric_value,
        {%- if categorical_features %}
        case monitored_features.feature_name
            {%- for feature in categorical_features %}
            when '{{ feature }}' then compared_rows.{{ feature }}
            {%- endfor %}
        end as category_value
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as category_value
        {%- endif %}
    from compared_rows
    cross join monitored_features

)

select * from unpivoted_values
