{{ config(partition_by=score_monitoring.score_date_partition(), meta={'monitoring_state': false}) }}
{#- Contract table model_performance_daily: label coverage, calibration and performance of every
    due cohort, with the cohort's bad label input and why an undefined metric is NULL. Not a
    monitoring_state table: a cohort's row appears once it is due, so its latest date trails the
    score tables by the label horizon; late labels re-open old cohorts through label_state. -#}
{%- set mart_dates = score_monitoring.label_mart_dates() %}

with label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}

),

label_matches as (

    select * from {{ ref('int_label_matches') }}

),

cohorts_to_process as (

    {{ score_monitoring.label_cohorts_to_process('label_cohorts') }}

),

processed_labelled_scores as (

    select label_matches.*
    from label_matches
    inner join cohorts_to_process
        on
            label_matches.score_date = cohorts_to_process.score_date
            and label_matches.model_name = cohorts_to_process.model_name
    where
        {{ score_monitoring.score_date_list_filter('label_matches.score_date', mart_dates) }}
        and label_matches.is_used

),

classification_metrics as (

    select
        score_date,
        model_name,
        {{ score_monitoring.binary_classification_aggregates('score', 'label', 'decision') }}
    from processed_labelled_scores
    group by score_date, model_name

),

calibration_bins as (

    select int_calibration_bins.*
    from {{ ref('int_calibration_bins') }} as int_calibration_bins
    inner join cohorts_to_process
        on
            int_calibration_bins.score_date = cohorts_to_process.score_date
            and int_calibration_bins.model_name = cohorts_to_process.model_name
    where {{ score_monitoring.score_date_list_filter('int_calibration_bins.score_date', mart_dates) }}

),

calibration_errors as (

    select
        score_date,
        model_name,
        {{ score_monitoring.calibration_error_aggregates('row_count', 'mean_score', 'observed_rate') }}
    from calibration_bins
    group by score_date, model_name

),

auc_values as (

    {{ score_monitoring.roc_auc('processed_labelled_scores', ['score_date', 'model_name'], 'score', 'label') }}

),

final as (

    select
        cohorts_to_process.score_date,
        cohorts_to_process.model_name,
        cohorts_to_process.due_date,
        cohorts_to_process.scored_count,
        cohorts_to_process.valid_scored_count,
        cohorts_to_process.labelled_count,
        {{ score_monitoring.safe_divide('cohorts_to_process.labelled_count', 'cohorts_to_process.scored_count') }} as label_coverage,
        cohorts_to_process.positive_label_count as positive_count,
        cohorts_to_process.labelled_count - cohorts_to_process.positive_label_count as negative_count,
        classification_metrics.base_rate,
        classification_metrics.mean_score,
        classification_metrics.bias,
        classification_metrics.brier,
        classification_metrics.log_loss,
        calibration_errors.ece,
        calibration_errors.mce,
        auc_values.auc,
        case
            when cohorts_to_process.labelled_count = 0 then 'no labelled rows in the cohort'
            when cohorts_to_process.positive_label_count = 0 then 'only negative labels in the cohort (one class): AUC is undefined'
            when cohorts_to_process.positive_label_count = cohorts_to_process.labelled_count
                then 'only positive labels in the cohort (one class): AUC is undefined'
        end as auc_undefined_reason,
        coalesce(classification_metrics.decision_known_count, 0) as decision_known_count,
        coalesce(classification_metrics.true_positive_count, 0) as true_positive_count,
        coalesce(classification_metrics.false_positive_count, 0) as false_positive_count,
        coalesce(classification_metrics.false_negative_count, 0) as false_negative_count,
        coalesce(classification_metrics.true_negative_count, 0) as true_negative_count,
        classification_metrics.precision,
        case
            when cohorts_to_process.labelled_count = 0 then 'no labelled rows in the cohort'
            when classification_metrics.decision_known_count = 0 then 'no labelled row has a decision'
            when classification_metrics.true_positive_count + classification_metrics.false_positive_count = 0
                then 'no labelled row has decision = true: precision is undefined'
        end as precision_undefined_reason,
        classification_metrics.recall,
        case
            when cohorts_to_process.labelled_count = 0 then 'no labelled rows in the cohort'
            when classification_metrics.decision_known_count = 0 then 'no labelled row has a decision'
            when classification_metrics.true_positive_count + classification_metrics.false_negative_count = 0
                then 'no positive label with a decision in the cohort (one class): recall is undefined'
        end as recall_undefined_reason,
        classification_metrics.f1,
        classification_metrics.accuracy,
        cohorts_to_process.label_row_count,
        cohorts_to_process.invalid_label_count,
        cohorts_to_process.duplicate_label_count,
        cohorts_to_process.conflicting_label_count,
        cohorts_to_process.orphan_label_count,
        cohorts_to_process.invalid_score_labelled_count,
        cohorts_to_process.label_state
    from cohorts_to_process
    left join classification_metrics
        on
            cohorts_to_process.score_date = classification_metrics.score_date
            and cohorts_to_process.model_name = classification_metrics.model_name
    left join calibration_errors
        on
            cohorts_to_process.score_date = calibration_errors.score_date
            and cohorts_to_process.model_name = calibration_errors.model_name
    left join auc_values
        on
            cohorts_to_process.score_date = auc_values.score_date
            and cohorts_to_process.model_name = auc_values.model_name

)

select * from final
