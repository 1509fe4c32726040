{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- The reliability bins of every cohort, computed once: per ten equal-width score bins
    (calibration_bin_index), the rows label metrics use (int_label_matches.is_used), their mean
    score and their observed positive rate. Only non-empty bins; calibration_bins_daily fills the
    empty ones and model_performance_daily derives ece and mce from these. Incremental: a run
    rebuilds only the dates of label_score_dates(). -#}
-- depends_on: {{ ref('int_label_fingerprints') }}
{%- set label_dates = score_monitoring.label_score_dates() %}

with label_matches as (

    select * from {{ ref('int_label_matches') }}

),

final as (

    select
        score_date,
        model_name,
        {{ score_monitoring.calibration_bin_index('score') }} as bin_index,
        count(*) as row_count,
        avg(score) as mean_score,
        avg(cast(label as {{ score_monitoring.type_double() }})) as observed_rate
    from label_matches
    where
        {{ score_monitoring.score_date_list_filter('score_date', label_dates) }}
        and is_used
    group by score_date, model_name, {{ score_monitoring.calibration_bin_index('score') }}

)

select * from final
