{#- One row per (score_date, model_name) cohort of the label window (scan_start_date('labels') to
    the monitoring date; every date on a full build) that has label rows now or had them at the
    previous run: label_fingerprint() of its label rows, read from the labels alone, and
    is_changed, whether it differs from the fingerprint int_label_cohorts stored at the previous
    run. label_score_dates() turns the changed cohorts into the dates the other label models
    (re)build, so a daily run reads scores only for cohorts whose labels changed. -#}
{%- set label_start = score_monitoring.scan_start_date('labels') -%}
{%- set monitoring_date = score_monitoring.monitoring_date() -%}
{%- set stored = score_monitoring.state_relation('int_label_cohorts') -%}
{%- set stored_columns = adapter.get_columns_in_relation(stored) | map(attribute='name') | map('lower') | list if stored is not none else [] -%}
{#- A first build, or a table from a version before fingerprints: every cohort counts as changed. -#}
{%- set has_stored = label_start is not none and 'label_fingerprint' in stored_columns -%}

with staged_labels as (

    select * from {{ ref('stg_labels') }}

),

current_fingerprints as (

    select
        score_date,
        model_name,
        {{ score_monitoring.label_fingerprint('entity_id', 'label') }} as label_fingerprint
    from staged_labels
    where
        {{ score_monitoring.score_date_scan_filter('score_date', label_start, monitoring_date) }}
        {#- Labels without a model belong to no cohort. #}
        and model_name is not null
    group by score_date, model_name

),

{%- if has_stored %}

stored_fingerprints as (

    select
        score_date,
        model_name,
        label_fingerprint
    from {{ stored }}
    where
        {{ score_monitoring.score_date_scan_filter('score_date', label_start, monitoring_date) }}
        and label_fingerprint is not null

),

{%- endif %}

final as (

    {%- if has_stored %}
    select
        current_fingerprints.label_fingerprint,
        coalesce(current_fingerprints.score_date, stored_fingerprints.score_date) as score_date,
        coalesce(current_fingerprints.model_name, stored_fingerprints.model_name) as model_name,
        coalesce(current_fingerprints.label_fingerprint, '') <> coalesce(stored_fingerprints.label_fingerprint, '') as is_changed
    from current_fingerprints
    full outer join stored_fingerprints
        on
            current_fingerprints.score_date = stored_fingerprints.score_date
            and current_fingerprints.model_name = stored_fingerprints.model_name
    {%- else %}
    select
        score_date,
        model_name,
        label_fingerprint,
        true as is_changed
    from current_fingerprints
    {%- endif %}

)

select * from final
