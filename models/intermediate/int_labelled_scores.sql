{#- One row per scored row of a due cohort that label metrics use: a valid score joined to its
    one resolved 0/1 label (invalid labels, disagreeing duplicates and invalid scores are left out
    and counted in int_label_cohorts). Scores are read from scan_start_date('labels') to the
    monitoring date only (partition pruning), the cohorts int_label_cohorts holds. -#}
{%- set label_start = score_monitoring.scan_start_date('labels') -%}

with staged_scores as (

    select * from {{ ref('stg_scores') }}

),

label_keys as (

    select * from {{ ref('int_label_keys') }}

),

label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}

),

final as (

    select
        staged_scores.score_date,
        staged_scores.model_name,
        staged_scores.entity_id,
        staged_scores.valid_score as score,
        {#- label is a keyword to the linter but the contract's column name. #}
        label_keys.resolved_label as label,  -- noqa: RF04
        staged_scores.decision
        {%- for column in score_monitoring.monitored_columns('segment_columns') %},
        staged_scores.{{ column }}
        {%- endfor %}
    from staged_scores
    inner join label_cohorts
        on
            staged_scores.score_date = label_cohorts.score_date
            and staged_scores.model_name = label_cohorts.model_name
    inner join label_keys
        on
            staged_scores.score_date = label_keys.score_date
            and staged_scores.model_name = label_keys.model_name
            and staged_scores.entity_id = label_keys.entity_id
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', label_start, score_monitoring.monitoring_date()) }}
        and label_cohorts.is_due
        and staged_scores.is_valid_score
        and label_keys.resolved_label is not null

)

select * from final
