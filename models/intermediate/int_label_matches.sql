{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- The one scan of the scores for the label models: every scored row of the dates of
    label_score_dates() joined to its label key, plus one row per label key that matches no scored
    row (an orphan). is_used marks the rows label metrics use: a valid score and one resolved 0/1
    label. Incremental: a daily run reads the scores of those dates only (partition pruning);
    the other dates keep their stored rows. -#}
-- depends_on: {{ ref('int_label_fingerprints') }}
{%- set label_dates = score_monitoring.label_score_dates() -%}
{%- set segment_columns = score_monitoring.monitored_columns('segment_columns').keys() | list %}

with staged_scores as (

    select * from {{ ref('stg_scores') }}

),

label_keys as (

    select * from {{ ref('int_label_keys') }}

),

scored_rows as (

    select
        score_date,
        model_name,
        entity_id,
        valid_score,
        is_valid_score,
        decision
        {%- for column in segment_columns %},
        {{ column }}
        {%- endfor %}
    from staged_scores
    where {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}

),

processed_label_keys as (

    select *
    from label_keys
    where {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}

),

final as (

    select
        coalesce(scored_rows.score_date, processed_label_keys.score_date) as score_date,
        coalesce(scored_rows.model_name, processed_label_keys.model_name) as model_name,
        coalesce(scored_rows.entity_id, processed_label_keys.entity_id) as entity_id,
        scored_rows.score_date is not null as is_scored,
        coalesce(scored_rows.is_valid_score, false) as is_valid_score,
        scored_rows.valid_score as score,
        {#- label is a keyword to the linter but the contract's column name. #}
        processed_label_keys.resolved_label as label,  -- noqa: RF04
        coalesce(processed_label_keys.has_conflicting_labels, false) as has_conflicting_labels,
        coalesce(processed_label_keys.valid_label_count > 0, false) as has_valid_label,
        coalesce(scored_rows.is_valid_score and processed_label_keys.resolved_label is not null, false) as is_used,
        {#- An orphan key's label rows, counted once per key (NULL on scored rows). #}
        case when scored_rows.score_date is null then processed_label_keys.label_row_count end as orphan_label_row_count,
        scored_rows.decision
        {%- for column in segment_columns %},
        scored_rows.{{ column }}
        {%- endfor %}
    from scored_rows
    full outer join processed_label_keys
        on
            scored_rows.score_date = processed_label_keys.score_date
            and scored_rows.model_name = processed_label_keys.model_name
            and scored_rows.entity_id = processed_label_keys.entity_id

)

select * from final
