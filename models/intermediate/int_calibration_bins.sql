{#- The reliability bins of every due cohort in int_labelled_scores, computed once: per ten
    equal-width score bins (calibration_bin_index), the labelled rows, their mean score and their
    observed positive rate. Only non-empty bins; calibration_bins_daily fills the empty ones and
    model_performance_daily derives ece and mce from these. -#}

with labelled_scores as (

    select * from {{ ref('int_labelled_scores') }}

),

final as (

    select
        score_date,
        model_name,
        {{ score_monitoring.calibration_bin_index('score') }} as bin_index,
        count(*) as row_count,
        avg(score) as mean_score,
        avg(cast(label as {{ score_monitoring.type_double() }})) as observed_rate
    from labelled_scores
    group by score_date, model_name, {{ score_monitoring.calibration_bin_index('score') }}

)

select * from final
