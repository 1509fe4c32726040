{#- One row per (score_date, model_name) cohort up to the monitoring date that has scores or
    labels: whether it is due (the model's label_horizon_days have passed), how many rows label metrics use, the
    bad label input of the cohort, and label_state, the fingerprint the label marts compare with
    their stored rows to find cohorts that changed (late labels). Empty when no outcomes input is
    configured. Cohorts older than scan_start_date('labels') (var label_lookback_days) are not read
    on incremental runs: their stored label rows stay as they are. -#}
{%- set monitoring_date = score_monitoring.date_literal(score_monitoring.monitoring_date()) -%}
{%- set label_start = score_monitoring.scan_start_date('labels') -%}
{%- set horizon = score_monitoring.setting_sql('label_horizon_days', 'model_name') -%}
{%- set string_type = dbt.type_string() -%}
{%- set state_columns = ['scored_count', 'valid_scored_count', 'label_row_count', 'labelled_count', 'positive_label_count',
    'invalid_label_count', 'duplicate_label_count', 'orphan_label_count', 'conflicting_label_count', 'invalid_score_labelled_count'] -%}

with staged_scores as (

    select * from {{ ref('stg_scores') }}

),

label_keys as (

    select * from {{ ref('int_label_keys') }}

),

scored_cohorts as (

    select
        staged_scores.score_date,
        staged_scores.model_name,
        count(*) as scored_count,
        {{ score_monitoring.count_where('staged_scores.is_valid_score') }} as valid_scored_count,
        {{ score_monitoring.count_where('staged_scores.is_valid_score and label_keys.resolved_label is not null') }} as labelled_count,
        {{ score_monitoring.count_where('staged_scores.is_valid_score and label_keys.resolved_label = 1') }} as positive_label_count,
        {{ score_monitoring.count_where('staged_scores.is_valid_score and label_keys.has_conflicting_labels') }} as conflicting_label_count,
        {{ score_monitoring.count_where('not staged_scores.is_valid_score and label_keys.valid_label_count > 0') }} as invalid_score_labelled_count
    from staged_scores
    left join label_keys
        on
            staged_scores.score_date = label_keys.score_date
            and staged_scores.model_name = label_keys.model_name
            and staged_scores.entity_id = label_keys.entity_id
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', label_start, score_monitoring.monitoring_date()) }}
    group by staged_scores.score_date, staged_scores.model_name

),

label_cohorts as (

    select
        score_date,
        model_name,
        cast(sum(label_row_count) as {{ dbt.type_bigint() }}) as label_row_count,
        cast(sum(invalid_label_count) as {{ dbt.type_bigint() }}) as invalid_label_count,
        cast(sum(label_row_count - 1) as {{ dbt.type_bigint() }}) as duplicate_label_count,
        cast(sum(case when scored_row_count = 0 then label_row_count else 0 end) as {{ dbt.type_bigint() }}) as orphan_label_count
    from label_keys
    {#- Labels without a date or model belong to no cohort. #}
    where score_date is not null and model_name is not null
    group by score_date, model_name

),

cohort_counts as (

    select
        coalesce(scored_cohorts.score_date, label_cohorts.score_date) as score_date,
        coalesce(scored_cohorts.model_name, label_cohorts.model_name) as model_name,
        coalesce(scored_cohorts.scored_count, 0) as scored_count,
        coalesce(scored_cohorts.valid_scored_count, 0) as valid_scored_count,
        coalesce(label_cohorts.label_row_count, 0) as label_row_count,
        coalesce(scored_cohorts.labelled_count, 0) as labelled_count,
        coalesce(scored_cohorts.positive_label_count, 0) as positive_label_count,
        coalesce(label_cohorts.invalid_label_count, 0) as invalid_label_count,
        coalesce(label_cohorts.duplicate_label_count, 0) as duplicate_label_count,
        coalesce(label_cohorts.orphan_label_count, 0) as orphan_label_count,
        coalesce(scored_cohorts.conflicting_label_count, 0) as conflicting_label_count,
        coalesce(scored_cohorts.invalid_score_labelled_count, 0) as invalid_score_labelled_count
    from scored_cohorts
    full outer join label_cohorts
        on
            scored_cohorts.score_date = label_cohorts.score_date
            and scored_cohorts.model_name = label_cohorts.model_name

),

final as (

    select
        score_date,
        model_name,
        {{ score_monitoring.add_days('score_date', horizon) }} as due_date,
        {{ score_monitoring.add_days('score_date', horizon) }} <= {{ monitoring_date }} as is_due,
        {%- for column in state_columns %}
        {{ column }},
        {%- endfor %}
        concat(
            {%- for column in state_columns %}
            cast({{ column }} as {{ string_type }}){{ ", '|'," if not loop.last }}
            {%- endfor %}
        ) as label_state
    from cohort_counts
    {#- Without an outcomes input no cohort can have labels: no label rows or checks at all. #}
    {%- if not score_monitoring.labels_enabled() %}
    where 1 = 0
    {%- endif %}

)

select * from final
