{#- One row per labelled key (score_date, model_name, entity_id) up to the monitoring date: the
    label rows deduplicated into one resolved label, with what was wrong with them (invalid values,
    extra rows, disagreeing values) and whether the key was ever scored. The single place where
    labels are deduplicated, so the cohort counts and the labelled rows agree. Labels and scores are
    read from scan_start_date('labels') on (var label_lookback_days; partition pruning). -#}
{%- set label_start = score_monitoring.scan_start_date('labels') -%}

with staged_labels as (

    select * from {{ ref('stg_labels') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}

),

label_key_rows as (

    select
        score_date,
        model_name,
        entity_id,
        count(*) as label_row_count,
        {{ score_monitoring.count_where('not is_valid_label') }} as invalid_label_count,
        {{ score_monitoring.count_where('is_valid_label') }} as valid_label_count,
        min(case when is_valid_label then label end) as min_valid_label,
        max(case when is_valid_label then label end) as max_valid_label
    from staged_labels
    where
        {{ score_monitoring.score_date_scan_filter('score_date', label_start, score_monitoring.monitoring_date()) }}
    group by score_date, model_name, entity_id

),

scored_keys as (

    select
        score_date,
        model_name,
        entity_id,
        count(*) as scored_row_count
    from staged_scores
    where
        {{ score_monitoring.score_date_scan_filter('score_date', label_start, score_monitoring.monitoring_date()) }}
    group by score_date, model_name, entity_id

),

final as (

    select
        label_key_rows.score_date,
        label_key_rows.model_name,
        label_key_rows.entity_id,
        label_key_rows.label_row_count,
        label_key_rows.invalid_label_count,
        label_key_rows.valid_label_count,
        coalesce(label_key_rows.min_valid_label <> label_key_rows.max_valid_label, false) as has_conflicting_labels,
        {#- Repeats of one value are harmless; disagreeing values make the outcome unknown. #}
        case when label_key_rows.min_valid_label = label_key_rows.max_valid_label then label_key_rows.min_valid_label end as resolved_label,
        coalesce(scored_keys.scored_row_count, 0) as scored_row_count
    from label_key_rows
    left join scored_keys
        on
            label_key_rows.score_date = scored_keys.score_date
            and label_key_rows.model_name = scored_keys.model_name
            and label_key_rows.entity_id = scored_keys.entity_id

)

select * from final
