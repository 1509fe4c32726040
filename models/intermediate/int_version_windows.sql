{#- The model versions on each side of every processed (score_date, model_name)'s drift
    comparison. With version_aware_reference on (per model) in drift_reference_mode previous or
    trailing: when the reference window holds rows of a version scored today, the reference keeps
    only those versions' rows (uses_own_version_reference: later days compare with the new
    version's own rows); when it holds none (the first day of a new version) the day is a version
    change and its drift checks are at most warn. fixed and profile references stay as set. -#}
{%- set current_start = score_monitoring.scan_start_date('current') -%}
{%- set reference_start = score_monitoring.scan_start_date('reference') -%}
{%- set monitoring_date = score_monitoring.monitoring_date() -%}
{%- set mode = score_monitoring.setting_sql('drift_reference_mode', 'windows.model_name') -%}
{%- set aware = score_monitoring.setting_sql('version_aware_reference', 'windows.model_name') -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}

),

current_versions as (

    select distinct
        windows.score_date,
        windows.model_name,
        staged_scores.model_version
    from windows
    inner join staged_scores
        on
            windows.score_date = staged_scores.score_date
            and windows.model_name = staged_scores.model_name
    where {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', current_start, monitoring_date) }}

),

reference_versions as (

    select distinct
        windows.score_date,
        windows.model_name,
        staged_scores.model_version
    from windows
    inner join staged_scores
        on
            windows.model_name = staged_scores.model_name
            and staged_scores.score_date between windows.reference_start and windows.reference_end
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', reference_start, monitoring_date) }}
        and {{ mode }} in ('previous', 'trailing')

),

version_lists as (

    select
        score_date,
        model_name,
        string_agg(case when side = 'current' then model_version end, ', ' order by model_version) as current_versions,
        string_agg(case when side = 'reference' then model_version end, ', ' order by model_version) as reference_versions,
        count(case when side = 'reference' then model_version end) as reference_version_count,
        count(case when side = 'shared' then model_version end) as shared_version_count
    from (
        select
            score_date,
            model_name,
            model_version,
            'current' as side
        from current_versions
        union all
        select
            score_date,
            model_name,
            model_version,
            'reference' as side
        from reference_versions
        union all
        select
            reference_versions.score_date,
            reference_versions.model_name,
            reference_versions.model_version,
            'shared' as side
        from reference_versions
        inner join current_versions
            on
                reference_versions.score_date = current_versions.score_date
                and reference_versions.model_name = current_versions.model_name
                and reference_versions.model_version = current_versions.model_version
    ) as sided_versions
    group by score_date, model_name

),

final as (

    select
        windows.score_date,
        windows.model_name,
        version_lists.current_versions,
        version_lists.reference_versions,
        coalesce({{ aware }} and {{ mode }} in ('previous', 'trailing')
            and version_lists.shared_version_count > 0
            and version_lists.shared_version_count < version_lists.reference_version_count, false) as uses_own_version_reference,
        coalesce({{ aware }} and {{ mode }} in ('previous', 'trailing')
            and version_lists.reference_version_count > 0
            and version_lists.shared_version_count = 0, false) as is_version_change
    from windows
    left join version_lists
        on
            windows.score_date = version_lists.score_date
            and windows.model_name = version_lists.model_name

)

select * from final
