{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table estimated_performance_daily: performance before the labels arrive, for every
    processed (score_date, model_name). Each valid score gets a calibrated probability q (the
    model's calibration_method: 'bins' maps it to its calibration bin's observed rate in
    int_calibration_map, a bin without labelled rows keeps q = score; 'none' takes q = score);
    the expected confusion counts, precision, recall, f1, accuracy and the expected ROC AUC follow
    from q and the decision. Scores are read from scan_start_date('current') on (partition pruning). -#}
{%- set current_start = score_monitoring.scan_start_date('current') -%}
{%- set method = score_monitoring.setting_sql('calibration_method', 'windows.model_name') -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}
    where {{ score_monitoring.score_date_scan_filter('score_date', current_start, score_monitoring.monitoring_date()) }}

),

calibration_map as (

    select * from {{ ref('int_calibration_map') }}

),

calibrated_scores as (

    select
        windows.score_date,
        windows.model_name,
        staged_scores.valid_score as score,
        staged_scores.decision,
        case
            when {{ method }} = 'none' then staged_scores.valid_score
            else coalesce(calibration_map.observed_rate, staged_scores.valid_score)
        end as calibrated_probability
    from windows
    inner join staged_scores
        on
            windows.score_date = staged_scores.score_date
            and windows.model_name = staged_scores.model_name
    left join calibration_map
        on
            windows.score_date = calibration_map.score_date
            and windows.model_name = calibration_map.model_name
            and {{ score_monitoring.calibration_bin_index('staged_scores.valid_score') }} = calibration_map.bin_index
    where staged_scores.valid_score is not null

),

expected_counts as (

    select
        score_date,
        model_name,
        count(*) as scored_count,
        sum(case when decision then calibrated_probability else 0 end) as expected_tp,
        sum(case when decision then 1 - calibrated_probability else 0 end) as expected_fp,
        sum(case when not decision then calibrated_probability else 0 end) as expected_fn,
        sum(case when not decision then 1 - calibrated_probability else 0 end) as expected_tn
    from calibrated_scores
    group by score_date, model_name

),

expected_auc as (

    {{ score_monitoring.expected_roc_auc('calibrated_scores', ['score_date', 'model_name'], 'score', 'calibrated_probability') }}

),

calibration_sizes as (

    select
        score_date,
        model_name,
        sum(calibration_row_count) as calibration_row_count
    from calibration_map
    group by score_date, model_name

),

final as (

    select
        windows.score_date,
        windows.model_name,
        coalesce(expected_counts.scored_count, 0) as scored_count,
        {{ method }} as calibration_method,
        case when {{ method }} = 'bins' then coalesce(calibration_sizes.calibration_row_count, 0) end as calibration_row_count,
        expected_auc.expected_auc as estimated_auc,
        {{ score_monitoring.confusion_rates(
            'expected_counts.expected_tp', 'expected_counts.expected_fp', 'expected_counts.expected_fn', 'expected_counts.expected_tn', 'estimated_'
        ) }},
        expected_counts.expected_tp,
        expected_counts.expected_fp,
        expected_counts.expected_fn,
        expected_counts.expected_tn,
        expected_auc.expected_positive_total
    from windows
    left join expected_counts
        on
            windows.score_date = expected_counts.score_date
            and windows.model_name = expected_counts.model_name
    left join expected_auc
        on
            windows.score_date = expected_auc.score_date
            and windows.model_name = expected_auc.model_name
    left join calibration_sizes
        on
            windows.score_date = calibration_sizes.score_date
            and windows.model_name = calibration_sizes.model_name

)

select * from final
