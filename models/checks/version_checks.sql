{#- The version checks (check_registry('version')) of every processed (score_date, model_name), in
    the long format before thresholds: per challenger version (subject) its spearman_correlation
    and decision_agreement with the day's baseline (version_comparison_daily), and per model day
    its decision_flip_rate against the previous score date (score_stability_daily). The two
    tables are stacked into one row set, version_day, whose model_version is NULL on the
    stability rows; the registry's where clauses pick each check's rows. -#}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = score_monitoring.type_double() %}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

version_comparison as (

    select * from {{ ref('version_comparison_daily') }}

),

score_stability as (

    select * from {{ ref('score_stability_daily') }}

),

version_days as (

    select
        version_comparison.score_date,
        version_comparison.model_name,
        version_comparison.model_version,
        version_comparison.baseline_version,
        version_comparison.shared_entity_count,
        version_comparison.spearman_correlation,
        version_comparison.decision_agreement,
        cast(null as date) as previous_score_date,
        cast(null as {{ dbt.type_bigint() }}) as rescored_count,
        cast(null as {{ double_type }}) as decision_flip_rate
    from version_comparison
    inner join windows
        on
            version_comparison.score_date = windows.score_date
            and version_comparison.model_name = windows.model_name
    union all
    select
        score_stability.score_date,
        score_stability.model_name,
        cast(null as {{ string_type }}) as model_version,
        cast(null as {{ string_type }}) as baseline_version,
        cast(null as {{ dbt.type_bigint() }}) as shared_entity_count,
        cast(null as {{ double_type }}) as spearman_correlation,
        cast(null as {{ double_type }}) as decision_agreement,
        score_stability.previous_score_date,
        score_stability.rescored_count,
        score_stability.decision_flip_rate
    from score_stability
    inner join windows
        on
            score_stability.score_date = windows.score_date
            and score_stability.model_name = windows.model_name

),

final as (

    {{ score_monitoring.check_rows(score_monitoring.check_registry('version'), 'version_days') }}

)

select * from final
