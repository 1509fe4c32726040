{#- Adapts the prediction log to the contract: typed columns, a validity flag per score (a
    scoring error's score is never valid), a decision even where the input has none (the model's
    own decision_threshold), and only the segment / feature columns some model is configured with. -#}
{%- set settings = score_monitoring.monitored_model_settings() -%}
{%- set columns = score_monitoring.input_columns('scores') -%}
{%- do score_monitoring.require_columns(columns, ['score_date', 'model_name', 'model_version', 'entity_id', 'score'], 'scores', 'the data contract') -%}
{%- if 'latency_ms' in columns -%}
    {%- do score_monitoring.require_numeric_columns(columns, ['latency_ms'], 'the data contract', 'serving column', 'cast it to milliseconds upstream') -%}
{%- endif -%}
{%- for scope, model_settings in settings.items() -%}
    {%- for key in ['segment_columns', 'numeric_features', 'categorical_features'] -%}
        {%- set origin = ('var ' ~ key) if scope == '*' else ('monitored_models.' ~ scope ~ '.' ~ key) -%}
        {%- do score_monitoring.require_columns(columns, model_settings[key], 'scores', origin) -%}
        {%- if key == 'numeric_features' -%}
            {%- do score_monitoring.require_numeric_columns(columns, model_settings[key], origin) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if model_settings.review_capacity is not none -%}
        {%- set origin = 'var review_capacity' if scope == '*' else 'monitored_models.' ~ scope ~ '.review_capacity' -%}
        {%- do score_monitoring.require_columns(columns, ['review_flag'], 'scores', origin) -%}
    {%- endif -%}
{%- endfor -%}
{%- set segment_columns = score_monitoring.monitored_columns('segment_columns').keys() | list -%}
{%- set numeric_features = score_monitoring.monitored_columns('numeric_features').keys() | list -%}
{%- set categorical_features = score_monitoring.monitored_columns('categorical_features').keys() | list -%}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = score_monitoring.type_double() -%}

with source_scores as (

    select * from {{ score_monitoring.input_relation('scores') }}

),

typed_scores as (

    select
        cast(score_date as date) as score_date,
        cast(model_name as {{ string_type }}) as model_name,
        cast(model_version as {{ string_type }}) as model_version,
        cast(entity_id as {{ string_type }}) as entity_id,
        cast(score as {{ double_type }}) as score,
        {% if 'decision' in columns -%}
            cast(decision as {{ dbt.type_boolean() }}) as input_decision,
        {%- else -%}
            cast(null as {{ dbt.type_boolean() }}) as input_decision,
        {%- endif %}
        {% if 'review_flag' in columns -%}
            cast(review_flag as {{ dbt.type_boolean() }}) as review_flag,
        {%- else -%}
            cast(null as {{ dbt.type_boolean() }}) as review_flag,
        {%- endif %}
        {% if 'latency_ms' in columns -%}
            cast(latency_ms as {{ double_type }}) as latency_ms,
        {%- else -%}
            cast(null as {{ double_type }}) as latency_ms,
        {%- endif %}
        {% if 'error_flag' in columns -%}
            cast(error_flag as {{ dbt.type_boolean() }}) as error_flag
        {%- else -%}
            cast(null as {{ dbt.type_boolean() }}) as error_flag
        {%- endif %}
        {%- for column in segment_columns %},
        cast({{ column }} as {{ string_type }}) as {{ column }}
        {%- endfor %}
        {%- for column in numeric_features %},
        cast({{ column }} as {{ double_type }}) as {{ column }}
        {%- endfor %}
        {%- for column in categorical_features %},
        cast({{ column }} as {{ string_type }}) as {{ column }}
        {%- endfor %}
    from source_scores

),

validated_scores as (

    select
        *,
        {#- A failed scoring call's score is not a score, whatever it holds. #}
        coalesce(
            score is not null
            and not coalesce(error_flag, false)
            and not {{ score_monitoring.is_nan('score') }}
            and score >= 0
            and score <= 1,
            false
        ) as is_valid_score
    from typed_scores

),

final as (

    select
        score_date,
        model_name,
        model_version,
        entity_id,
        score,
        is_valid_score,
        case when is_valid_score then score end as valid_score,
        {% if 'decision' in columns -%}
            input_decision as decision,
        {%- else -%}
            case when is_valid_score then score >= {{ score_monitoring.setting_sql('decision_threshold', 'model_name') }} end as decision,
        {%- endif %}
        review_flag,
        latency_ms,
        coalesce(error_flag, false) as is_scoring_error
        {%- for column in segment_columns + numeric_features + categorical_features %},
        {{ column }}
        {%- endfor %}
    from validated_scores

)

select * from final
