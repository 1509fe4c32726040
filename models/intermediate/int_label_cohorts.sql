{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- One row per (score_date, model_name) cohort up to the monitoring date that has scores or
    labels: its due date (the model's label_horizon_days after the score date), how many rows label
    metrics use, the bad label input of the cohort, label_state, the fingerprint of these counts
    that the label marts compare with their stored rows to find cohorts that changed (late labels),
    and label_fingerprint, the fingerprint of its label rows that the next run compares with the
    labels (int_label_fingerprints). Incremental: a run rebuilds only the dates of
    label_score_dates(). Empty when no outcomes input is configured. -#}
-- depends_on: {{ ref('int_label_fingerprints') }}
{%- set label_dates = score_monitoring.label_score_dates() -%}
{%- set horizon = score_monitoring.setting_sql('label_horizon_days', 'model_name') -%}
{%- set string_type = dbt.type_string() -%}
{%- set bigint_type = dbt.type_bigint() -%}
{%- set state_columns = ['scored_count', 'valid_scored_count', 'label_row_count', 'labelled_count', 'positive_label_count',
    'invalid_label_count', 'duplicate_label_count', 'orphan_label_count', 'conflicting_label_count', 'invalid_score_labelled_count'] %}

with label_matches as (

    select * from {{ ref('int_label_matches') }}

),

label_keys as (

    select * from {{ ref('int_label_keys') }}

),

label_fingerprints as (

    select * from {{ ref('int_label_fingerprints') }}

),

matched_cohorts as (

    select
        score_date,
        model_name,
        {{ score_monitoring.count_where('is_scored') }} as scored_count,
        {{ score_monitoring.count_where('is_valid_score') }} as valid_scored_count,
        {{ score_monitoring.count_where('is_used') }} as labelled_count,
        {{ score_monitoring.count_where('is_used and label = 1') }} as positive_label_count,
        {{ score_monitoring.count_where('is_valid_score and has_conflicting_labels') }} as conflicting_label_count,
        {{ score_monitoring.count_where('is_scored and not is_valid_score and has_valid_label') }} as invalid_score_labelled_count,
        cast(coalesce(sum(orphan_label_row_count), 0) as {{ bigint_type }}) as orphan_label_count
    from label_matches
    where {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}
    group by score_date, model_name

),

keyed_cohorts as (

    select
        score_date,
        model_name,
        cast(sum(label_row_count) as {{ bigint_type }}) as label_row_count,
        cast(sum(invalid_label_count) as {{ bigint_type }}) as invalid_label_count,
        cast(sum(label_row_count - 1) as {{ bigint_type }}) as duplicate_label_count
    from label_keys
    where {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}
    group by score_date, model_name

),

cohort_counts as (

    select
        matched_cohorts.score_date,
        matched_cohorts.model_name,
        matched_cohorts.scored_count,
        matched_cohorts.valid_scored_count,
        matched_cohorts.labelled_count,
        matched_cohorts.positive_label_count,
        matched_cohorts.orphan_label_count,
        matched_cohorts.conflicting_label_count,
        matched_cohorts.invalid_score_labelled_count,
        label_fingerprints.label_fingerprint,
        coalesce(keyed_cohorts.label_row_count, 0) as label_row_count,
        coalesce(keyed_cohorts.invalid_label_count, 0) as invalid_label_count,
        coalesce(keyed_cohorts.duplicate_label_count, 0) as duplicate_label_count
    {#- Every label key has a row in int_label_matches (scored or orphan), so every cohort is here. #}
    from matched_cohorts
    left join keyed_cohorts
        on
            matched_cohorts.score_date = keyed_cohorts.score_date
            and matched_cohorts.model_name = keyed_cohorts.model_name
    left join label_fingerprints
        on
            matched_cohorts.score_date = label_fingerprints.score_date
            and matched_cohorts.model_name = label_fingerprints.model_name

),

final as (

    select
        score_date,
        model_name,
        {{ score_monitoring.add_days('score_date', horizon) }} as due_date,
        {%- for column in state_columns %}
        {{ column }},
        {%- endfor %}
        concat(
            {%- for column in state_columns %}
            cast({{ column }} as {{ string_type }}){{ ", '|'," if not loop.last }}
            {%- endfor %}
        ) as label_state,
        label_fingerprint
    from cohort_counts
    {#- Without an outcomes input no cohort can have labels: no label rows or checks at all. #}
    {%- if not score_monitoring.labels_enabled() %}
    where 1 = 0
    {%- endif %}

)

select * from final
