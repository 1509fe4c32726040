{#- The calibration map of every model with labels: per ten equal-width score bins
    (calibration_bin_index), the observed positive rate over the labelled rows of the model's
    calibration reference (due cohorts inside calibration_reference_windows()), from the
    reliability bins of int_calibration_bins. estimated_performance_daily maps each score to its
    bin's rate (calibration_method 'bins'). Only bins with labelled rows. -#}
{%- set windows = score_monitoring.calibration_reference_windows() -%}
{%- set starts = {} -%}
{%- set ends = {} -%}
{%- for scope, window in windows.items() -%}
    {%- do starts.update({scope: score_monitoring.date_literal(window[0])}) -%}
    {%- do ends.update({scope: score_monitoring.date_literal(window[1])}) -%}
{%- endfor -%}
{%- set scan_start = windows.values() | map(attribute=0) | min -%}
{%- set scan_end = windows.values() | map(attribute=1) | max -%}

with calibration_bins as (

    select * from {{ ref('int_calibration_bins') }}
    where {{ score_monitoring.score_date_scan_filter('score_date', scan_start, scan_end) }}

),

label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}
    where {{ score_monitoring.score_date_scan_filter('score_date', scan_start, scan_end) }}

),

reference_bins as (

    select
        calibration_bins.model_name,
        calibration_bins.bin_index,
        calibration_bins.row_count,
        calibration_bins.row_count * calibration_bins.observed_rate as positive_count
    from calibration_bins
    inner join label_cohorts
        on
            calibration_bins.score_date = label_cohorts.score_date
            and calibration_bins.model_name = label_cohorts.model_name
    where
        label_cohorts.due_date <= {{ score_monitoring.date_literal(score_monitoring.monitoring_date()) }}
        and calibration_bins.score_date between {{ score_monitoring.per_model_case('calibration_bins.model_name', starts) }}
        and {{ score_monitoring.per_model_case('calibration_bins.model_name', ends) }}

),

final as (

    select
        model_name,
        bin_index,
        cast(sum(row_count) as {{ dbt.type_bigint() }}) as calibration_row_count,
        sum(positive_count) / sum(row_count) as observed_rate
    from reference_bins
    group by model_name, bin_index

)

select * from final
