{#- The calibration map of every processed (score_date, model_name): per ten equal-width score
    bins (calibration_bin_index) with labelled rows, the observed positive rate over the labelled
    rows of the day's calibration reference (calibration_reference_windows(): due cohorts only),
    from the reliability bins of int_calibration_bins. estimated_performance_daily maps each score
    to its bin's rate (calibration_method 'bins'). -#}
{%- set window = score_monitoring.calibration_reference_windows('windows.score_date', 'windows.model_name') -%}
{#- The scan's constant lower bound (partition pruning): the earliest window start of the
    processed days, from the first processed day (none on a full build: every cohort). -#}
{%- set processing_start = score_monitoring.scan_start_date('current') -%}
{%- set scan_start = none -%}
{%- if processing_start is not none -%}
    {%- set first_day = modules.datetime.date.fromisoformat(processing_start) -%}
    {%- set starts = [] -%}
    {%- for scope, settings in score_monitoring.monitored_model_settings().items() -%}
        {%- if settings.calibration_reference_start -%}
            {%- do starts.append(modules.datetime.date.fromisoformat(settings.calibration_reference_start | string)) -%}
        {%- else -%}
            {%- do starts.append(first_day - modules.datetime.timedelta(days=settings.label_horizon_days + settings.calibration_reference_days - 1)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set scan_start = (starts | min).isoformat() -%}
{%- endif -%}
{%- set monitoring_date = score_monitoring.monitoring_date() -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

calibration_bins as (

    select * from {{ ref('int_calibration_bins') }}
    where {{ score_monitoring.score_date_scan_filter('score_date', scan_start, monitoring_date) }}

),

label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}
    where {{ score_monitoring.score_date_scan_filter('score_date', scan_start, monitoring_date) }}

),

reference_bins as (

    select
        windows.score_date,
        windows.model_name,
        calibration_bins.bin_index,
        calibration_bins.row_count,
        calibration_bins.row_count * calibration_bins.observed_rate as positive_count
    from windows
    inner join calibration_bins
        on
            windows.model_name = calibration_bins.model_name
            and calibration_bins.score_date between {{ window[0] }} and {{ window[1] }}
    inner join label_cohorts
        on
            calibration_bins.score_date = label_cohorts.score_date
            and calibration_bins.model_name = label_cohorts.model_name
    where label_cohorts.due_date <= windows.score_date

),

final as (

    select
        score_date,
        model_name,
        bin_index,
        cast(sum(row_count) as {{ dbt.type_bigint() }}) as calibration_row_count,
        sum(positive_count) / sum(row_count) as observed_rate
    from reference_bins
    group by score_date, model_name, bin_index

)

select * from final
