{{ config(materialized='view') }}
{#- One row per due cohort (score_date, model_name) and label check, in the long format of
    monitoring_checks before thresholds: coverage, sample size, calibration, performance, the
    worst segment calibration gap (subject 'column=value') and the bad-label rates. A metric that
    cannot be computed is NULL with the reason (a warn, never a fail). Covers every stored cohort,
    so checks of an old cohort re-opened by late labels are current too. -#}
{%- set string_type = dbt.type_string() -%}
{%- set segmented_scopes = [] -%}
{%- for scope, settings in score_monitoring.monitored_model_settings().items() if settings.segment_columns -%}
    {%- do segmented_scopes.append(scope) -%}
{%- endfor -%}
{%- set double_type = score_monitoring.type_double() -%}
{%- set cohort_name = "concat('cohort ', cast(performance.score_date as " ~ string_type ~ "), ' (due ', cast(performance.due_date as " ~ string_type ~ "), ')')" -%}
{%- set no_scores = ('performance.scored_count = 0', "concat(" ~ cohort_name ~ ", ' has labels but no scored rows')") -%}
{%- set no_labelled = ('performance.labelled_count = 0', "concat(" ~ cohort_name ~ ", ' is past its label horizon but has no usable labels')") -%}
{%- set no_label_rows = ('performance.label_row_count = 0', "concat(" ~ cohort_name ~ ", ' has no label rows')") -%}
{%- set model_checks = [
    {'name': 'label_coverage', 'metric': 'performance.label_coverage', 'reasons': [no_scores]},
    {'name': 'labelled_sample_size', 'metric': 'performance.labelled_count', 'reasons': []},
    {'name': 'ece', 'metric': 'performance.ece', 'reasons': [no_labelled]},
    {'name': 'brier', 'metric': 'performance.brier', 'reasons': [no_labelled]},
    {'name': 'abs_bias', 'metric': 'abs(performance.bias)', 'reasons': [no_labelled]},
    {'name': 'auc', 'metric': 'performance.auc', 'reasons': [no_labelled, ('performance.auc is null', "concat(" ~ cohort_name ~ ", ': ', performance.auc_undefined_reason)")]},
    {'name': 'precision', 'metric': 'performance.precision', 'reasons': [no_labelled, ('performance.precision is null', "concat(" ~ cohort_name ~ ", ': ', performance.precision_undefined_reason)")]},
    {'name': 'recall', 'metric': 'performance.recall', 'reasons': [no_labelled, ('performance.recall is null', "concat(" ~ cohort_name ~ ", ': ', performance.recall_undefined_reason)")]},
    {'name': 'invalid_label_rate', 'metric': score_monitoring.safe_divide('performance.invalid_label_count', 'performance.label_row_count'), 'reasons': [no_label_rows]},
    {'name': 'duplicate_label_rate', 'metric': score_monitoring.safe_divide('performance.duplicate_label_count', 'performance.label_row_count'), 'reasons': [no_label_rows]},
    {'name': 'orphan_label_rate', 'metric': score_monitoring.safe_divide('performance.orphan_label_count', 'performance.label_row_count'), 'reasons': [no_label_rows]},
] -%}

with model_performance as (

    select * from {{ ref('model_performance_daily') }}

),
{%- if segmented_scopes %}

segment_calibration as (

    select * from {{ ref('segment_calibration_daily') }}

),

ranked_segments as (

    select
        score_date,
        model_name,
        concat(segment_column, '=', coalesce(segment_value, 'NULL')) as segment_name,
        calibration_gap,
        row_number() over (
            partition by score_date, model_name
            order by case when calibration_gap is null then 1 else 0 end asc, calibration_gap desc, segment_column asc, segment_value asc
        ) as gap_rank
    from segment_calibration

),

worst_segments as (

    select
        score_date,
        model_name,
        segment_name,
        calibration_gap
    from ranked_segments
    where gap_rank = 1

),
{%- endif %}

check_metrics as (

    {%- for check in model_checks %}
    {{ 'union all' if not loop.first }}
    select
        performance.score_date,
        performance.model_name,
        cast('{{ check.name }}' as {{ string_type }}) as check_name,
        cast(null as {{ string_type }}) as subject,
        cast({{ check.metric }} as {{ double_type }}) as metric_value,
        {{ score_monitoring.first_reason(check.reasons) }} as unavailable_reason
    from model_performance as performance
    {%- endfor %}
    {%- if segmented_scopes %}
    union all
    select
        performance.score_date,
        performance.model_name,
        cast('segment_calibration_gap' as {{ string_type }}) as check_name,
        case when worst_segments.calibration_gap is not null then worst_segments.segment_name end as subject,
        worst_segments.calibration_gap as metric_value,
        {{ score_monitoring.first_reason([
            no_labelled,
            ('worst_segments.calibration_gap is null', "concat(" ~ cohort_name ~ ", ': no segment has min_segment_rows (', cast(" ~ score_monitoring.setting_sql('min_segment_rows', 'performance.model_name') ~ " as " ~ string_type ~ "), ') labelled rows')"),
        ]) }} as unavailable_reason
    from model_performance as performance
    left join worst_segments
        on
            performance.score_date = worst_segments.score_date
            and performance.model_name = worst_segments.model_name
    where {{ score_monitoring.model_scope_key('performance.model_name') }} in ('{{ segmented_scopes | join("', '") }}')
    {%- endif %}

),

final as (

    select
        score_date,
        model_name,
        check_name,
        subject,
        metric_value,
        unavailable_reason
    from check_metrics

)

select * from final
