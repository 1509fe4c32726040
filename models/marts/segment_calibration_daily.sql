{{ config(partition_by=score_monitoring.score_date_partition(), meta={'monitoring_state': false}) }}
{#- Contract table segment_calibration_daily: calibration of every due cohort within each value
    of each of the model's segment_columns (a NULL value is its own segment). calibration_gap is
    only given where the segment has at least the model's min_segment_rows labelled rows, so small
    segments cannot raise the segment check on noise. -#}
{%- set double_type = score_monitoring.type_double() -%}
{%- set mart_dates = score_monitoring.label_mart_dates(skip_unlabelled=true) -%}
{%- set string_type = dbt.type_string() -%}

with label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}

),

label_matches as (

    select * from {{ ref('int_label_matches') }}

),

cohorts_to_process as (

    {{ score_monitoring.label_cohorts_to_process('label_cohorts', skip_unlabelled=true) }}

),

processed_labelled_scores as (

    select
        label_matches.*,
        cohorts_to_process.label_state
    from label_matches
    inner join cohorts_to_process
        on
            label_matches.score_date = cohorts_to_process.score_date
            and label_matches.model_name = cohorts_to_process.model_name
    where
        {{ score_monitoring.score_date_list_filter('label_matches.score_date', mart_dates) }}
        and label_matches.is_used

),

segment_means as (

    {%- for column, scopes in score_monitoring.monitored_columns('segment_columns').items() %}
    {{ 'union all' if not loop.first }}
    select
        score_date,
        model_name,
        cast('{{ column }}' as {{ string_type }}) as segment_column,
        {{ column }} as segment_value,
        count(*) as row_count,
        avg(score) as mean_score,
        avg(cast(label as {{ double_type }})) as observed_rate,
        label_state
    from processed_labelled_scores
    where {{ score_monitoring.model_scope_key('model_name') }} in ('{{ scopes | join("', '") }}')
    group by score_date, model_name, {{ column }}, label_state
    {%- else %}
    {#- No segment columns configured: an empty table with the contract's columns. #}
    select
        score_date,
        model_name,
        cast(null as {{ string_type }}) as segment_column,
        cast(null as {{ string_type }}) as segment_value,
        count(*) as row_count,
        cast(null as {{ double_type }}) as mean_score,
        cast(null as {{ double_type }}) as observed_rate,
        label_state
    from processed_labelled_scores
    where false
    group by score_date, model_name, label_state
    {%- endfor %}

),

final as (

    select
        score_date,
        model_name,
        segment_column,
        segment_value,
        row_count,
        mean_score,
        observed_rate,
        case when row_count >= {{ score_monitoring.setting_sql('min_segment_rows', 'model_name') }} then abs(mean_score - observed_rate) end as calibration_gap,
        label_state
    from segment_means

)

select * from final
