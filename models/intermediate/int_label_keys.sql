{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- One row per labelled key (score_date, model_name, entity_id): the label rows deduplicated into
    one resolved label, with what was wrong with them (invalid values, extra rows, disagreeing
    values). The single place where labels are deduplicated, so the cohort counts and the labelled
    rows agree. Incremental: a run rebuilds only the dates of label_score_dates(). -#}
-- depends_on: {{ ref('int_label_fingerprints') }}
{%- set label_dates = score_monitoring.label_score_dates() %}

with staged_labels as (

    select * from {{ ref('stg_labels') }}

),

final as (

    select
        score_date,
        model_name,
        entity_id,
        count(*) as label_row_count,
        {{ score_monitoring.count_where('not is_valid_label') }} as invalid_label_count,
        {{ score_monitoring.count_where('is_valid_label') }} as valid_label_count,
        coalesce(min(case when is_valid_label then label end) <> max(case when is_valid_label then label end), false) as has_conflicting_labels,
        {#- Repeats of one value are harmless; disagreeing values make the outcome unknown. #}
        case
            when min(case when is_valid_label then label end) = max(case when is_valid_label then label end)
                then min(case when is_valid_label then label end)
        end as resolved_label
    from staged_labels
    where
        {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}
        {#- Labels without a model belong to no cohort. #}
        and model_name is not null
    group by score_date, model_name, entity_id

)

select * from final
