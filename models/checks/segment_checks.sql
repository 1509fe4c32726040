{#- The segment checks (check_registry('segment')) of every processed (score_date, model_name) of a
    model with segment_columns, in the long format before thresholds: the worst segment's score
    PSI and the worst segment volume shift, each naming its segment ('column=value') in subject.
    The worst is the largest metric among the segments past their critical value (significant),
    else the largest overall (so a breach within noise stays visible as a pass that says so). -#}
{%- set checks = score_monitoring.check_registry('segment') -%}
{%- set significance_first = score_monitoring.setting('drift_require_significance') -%}

{%- if not checks %}

{#- No model has segment_columns: no segment check, an empty view with the long-format columns. #}
{{ score_monitoring.no_check_rows('segment') }}
{%- else %}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

segment_drift as (

    select * from {{ ref('segment_drift_daily') }}

),

ranked_segments as (

    select
        segment_drift.score_date,
        segment_drift.model_name,
        concat(segment_drift.segment_column, '=', coalesce(segment_drift.segment_value, 'NULL')) as segment_name,
        segment_drift.row_count,
        segment_drift.reference_row_count,
        segment_drift.psi,
        segment_drift.psi_critical_value,
        abs(segment_drift.row_share - segment_drift.reference_row_share) as share_shift,
        segment_drift.row_share_critical_value,
        row_number() over (
            partition by segment_drift.score_date, segment_drift.model_name
            order by
                {%- if significance_first %}
                case when segment_drift.psi > segment_drift.psi_critical_value then 0 else 1 end asc,
                {%- endif %}
                coalesce(segment_drift.psi, -1) desc, segment_drift.segment_column asc, segment_drift.segment_value asc
        ) as psi_rank,
        row_number() over (
            partition by segment_drift.score_date, segment_drift.model_name
            order by
                {%- if significance_first %}
                case when abs(segment_drift.row_share - segment_drift.reference_row_share) > segment_drift.row_share_critical_value then 0 else 1 end asc,
                {%- endif %}
                coalesce(abs(segment_drift.row_share - segment_drift.reference_row_share), -1) desc,
                segment_drift.segment_column asc, segment_drift.segment_value asc
        ) as shift_rank
    from segment_drift
    inner join windows
        on
            segment_drift.score_date = windows.score_date
            and segment_drift.model_name = windows.model_name

),

worst_segments as (

    select
        score_date,
        model_name,
        max(case when psi_rank = 1 then psi end) as worst_psi,
        max(case when psi_rank = 1 then segment_name end) as worst_psi_segment,
        max(case when psi_rank = 1 then psi_critical_value end) as worst_psi_critical_value,
        max(case when psi_rank = 1 then row_count end) as worst_psi_row_count,
        max(case when psi_rank = 1 then reference_row_count end) as worst_psi_reference_row_count,
        max(case when shift_rank = 1 then share_shift end) as worst_share_shift,
        max(case when shift_rank = 1 then segment_name end) as worst_share_segment,
        max(case when shift_rank = 1 then row_share_critical_value end) as worst_share_critical_value
    from ranked_segments
    group by score_date, model_name

),

score_drift as (

    select * from {{ ref('score_drift_daily') }}

),

segment_days as (

    {#- row_count / reference_row_count: the model's valid scores, the n and m of the volume shift. #}
    select
        worst_segments.*,
        score_drift.current_row_count as row_count,
        score_drift.reference_row_count,
        score_drift.is_version_change,
        score_drift.current_versions,
        score_drift.reference_versions
    from worst_segments
    inner join score_drift
        on
            worst_segments.score_date = score_drift.score_date
            and worst_segments.model_name = score_drift.model_name

),

final as (

    {{ score_monitoring.check_rows(checks, 'segment_days') }}

)

select * from final
{%- endif %}
