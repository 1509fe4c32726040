{{ config(partition_by=score_monitoring.score_date_partition(), meta={'monitoring_state': false}) }}
{#- Contract table calibration_bins_daily: the reliability diagram of every due cohort, ten
    equal-width score bins on [0, 1] (the last closed at 1), every bin present: an empty bin has
    row_count 0 and NULL means. -#}
{%- set bin_count = 10 -%}
{%- set mart_dates = score_monitoring.label_mart_dates() -%}
{%- set double_type = score_monitoring.type_double() -%}

with label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}

),

calibration_bins as (

    select * from {{ ref('int_calibration_bins') }}

),

cohorts_to_process as (

    {{ score_monitoring.label_cohorts_to_process('label_cohorts') }}

),

bin_edges as (

    {%- for bin_index in range(bin_count) %}
    {{ 'union all' if not loop.first }}
    select
        {{ bin_index }} as bin_index,
        cast({{ bin_index / bin_count }} as {{ double_type }}) as lower_edge,
        cast({{ (bin_index + 1) / bin_count }} as {{ double_type }}) as upper_edge
    {%- endfor %}

),

filled_bins as (

    select calibration_bins.*
    from calibration_bins
    inner join cohorts_to_process
        on
            calibration_bins.score_date = cohorts_to_process.score_date
            and calibration_bins.model_name = cohorts_to_process.model_name
    where {{ score_monitoring.score_date_list_filter('calibration_bins.score_date', mart_dates) }}

),

final as (

    select
        cohorts_to_process.score_date,
        cohorts_to_process.model_name,
        cast(bin_edges.bin_index as {{ dbt.type_bigint() }}) as bin_index,
        bin_edges.lower_edge,
        bin_edges.upper_edge,
        coalesce(filled_bins.row_count, 0) as row_count,
        filled_bins.mean_score,
        filled_bins.observed_rate,
        cohorts_to_process.label_state
    from cohorts_to_process
    cross join bin_edges
    left join filled_bins
        on
            cohorts_to_process.score_date = filled_bins.score_date
            and cohorts_to_process.model_name = filled_bins.model_name
            and bin_edges.bin_index = filled_bins.bin_index

)

select * from final
