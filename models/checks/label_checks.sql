{#- The label checks (check_registry('label')): one row per due cohort (score_date, model_name)
    and label check, in the long format before thresholds: coverage, sample size, calibration,
    performance, the error of the cohort's stored estimated_auc, the worst segment calibration gap
    (subject 'column=value') and the bad-label rates. A metric that
    cannot be computed is NULL with the reason (a warn, never a fail). Covers every stored cohort,
    so checks of an old cohort re-opened by late labels are current too. -#}
{%- set checks = score_monitoring.check_registry('label') -%}
{%- set segmented = checks | selectattr('name', 'equalto', 'segment_calibration_gap') | list | length > 0 -%}

with model_performance as (

    select * from {{ ref('model_performance_daily') }}

),

estimated_performance as (

    select * from {{ ref('estimated_performance_daily') }}

),
{%- if segmented %}

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

cohorts as (

    select
        model_performance.*,
        estimated_performance.estimated_auc,
        {%- if segmented %}
        worst_segments.segment_name as worst_segment_name,
        worst_segments.calibration_gap as worst_segment_gap
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as worst_segment_name,
        cast(null as {{ score_monitoring.type_double() }}) as worst_segment_gap
        {%- endif %}
    from model_performance
    left join estimated_performance
        on
            model_performance.score_date = estimated_performance.score_date
            and model_performance.model_name = estimated_performance.model_name
    {%- if segmented %}
    left join worst_segments
        on
            model_performance.score_date = worst_segments.score_date
            and model_performance.model_name = worst_segments.model_name
    {%- endif %}

),

final as (

    {{ score_monitoring.check_rows(checks, 'cohorts') }}

)

select * from final
