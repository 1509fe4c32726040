{#- One row per processed (score_date, model_name) and drift subject, with every drift metric:
    PSI and JS distance over the bins, KS, their significance (ks_p_value, psi_critical_value), L-infinity, new-category share, missing rates and the
    share of current values outside the reference range. Rows exist even with no reference; metrics are NULL
    unless both sides have values. -#}
{%- set comparable = 'value_counts.current_value_count > 0 and value_counts.reference_value_count > 0' -%}
{%- set is_profiled = score_monitoring.setting_sql('drift_reference_mode', 'windows.model_name') ~ " = 'profile'" -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

value_counts as (

    select * from {{ ref('int_drift_value_counts') }}

),

numeric_bins as (

    select * from {{ ref('int_drift_numeric_bins') }}

),

categorical_bins as (

    select * from {{ ref('int_drift_categorical_bins') }}

),

category_counts as (

    select * from {{ ref('int_drift_category_counts') }}

),

ks_statistics as (

    select * from {{ ref('int_drift_ks') }}

),

monitored_features as (

    {{ score_monitoring.drift_features() }}

),

window_features as (

    select
        windows.score_date,
        windows.model_name,
        monitored_features.feature_name,
        monitored_features.feature_type,
        {#- A profile is the reference of a profiled model's distributions, not a window of scores. #}
        case when {{ is_profiled }} then null else windows.reference_start end as reference_start,
        case when {{ is_profiled }} then null else windows.reference_end end as reference_end
    from windows
    inner join monitored_features
        on monitored_features.model_scope = {{ score_monitoring.model_scope_key('windows.model_name') }}

),

bins as (

    select
        score_date,
        model_name,
        feature_name,
        current_share,
        reference_share,
        current_out_of_range_count
    from numeric_bins
    union all
    select
        score_date,
        model_name,
        feature_name,
        current_share,
        reference_share,
        0 as current_out_of_range_count
    from categorical_bins

),

bin_metrics as (

    select
        score_date,
        model_name,
        feature_name,
        count(*) as bin_count,
        {{ score_monitoring.population_stability_index('current_share', 'reference_share') }} as psi,
        {{ score_monitoring.jensen_shannon_distance('current_share', 'reference_share') }} as js_distance,
        max(abs(current_share - reference_share)) as l_inf,
        cast(sum(current_out_of_range_count) as {{ dbt.type_bigint() }}) as current_out_of_range_count
    from bins
    group by score_date, model_name, feature_name

),

new_categories as (

    select
        score_date,
        model_name,
        feature_name,
        {{ score_monitoring.safe_divide('sum(case when reference_count = 0 then current_count else 0 end)', 'sum(current_count)') }} as new_category_share
    from category_counts
    group by score_date, model_name, feature_name

),

final as (

    select
        window_features.score_date,
        window_features.model_name,
        window_features.feature_name,
        window_features.feature_type,
        window_features.reference_start,
        window_features.reference_end,
        coalesce(value_counts.current_row_count, 0) as current_row_count,
        coalesce(value_counts.current_value_count, 0) as current_value_count,
        coalesce(value_counts.reference_total_count, 0) as reference_total_count,
        coalesce(value_counts.reference_value_count, 0) as reference_value_count,
        {{ score_monitoring.safe_divide(
            'value_counts.current_row_count - value_counts.current_value_count', 'value_counts.current_row_count'
        ) }} as missing_rate,
        {{ score_monitoring.safe_divide(
            'value_counts.reference_total_count - value_counts.reference_value_count', 'value_counts.reference_total_count'
        ) }} as reference_missing_rate,
        bin_metrics.bin_count,
        case when {{ comparable }} then bin_metrics.psi end as psi,
        case when {{ comparable }} then bin_metrics.js_distance end as js_distance,
        ks_statistics.ks_statistic,
        {{ score_monitoring.ks_p_value('ks_statistics.ks_statistic', 'value_counts.current_value_count', 'value_counts.reference_value_count') }} as ks_p_value,
        case when {{ comparable }} then {{ score_monitoring.psi_critical_value(
            'critical_values.critical_value', 'bin_metrics.bin_count', 'value_counts.current_value_count', 'value_counts.reference_value_count'
        ) }} end as psi_critical_value,
        case when {{ comparable }} and window_features.feature_type = 'categorical' then bin_metrics.l_inf end as l_inf,
        case when {{ comparable }} and window_features.feature_type = 'categorical' then new_categories.new_category_share end as new_category_share,
        case
            when {{ comparable }} and window_features.feature_type = 'numeric'
                then {{ score_monitoring.safe_divide('bin_metrics.current_out_of_range_count', 'value_counts.current_value_count') }}
        end as out_of_reference_range_share
    from window_features
    left join value_counts
        on
            window_features.score_date = value_counts.score_date
            and window_features.model_name = value_counts.model_name
            and window_features.feature_name = value_counts.feature_name
    left join bin_metrics
        on
            window_features.score_date = bin_metrics.score_date
            and window_features.model_name = bin_metrics.model_name
            and window_features.feature_name = bin_metrics.feature_name
    left join new_categories
        on
            window_features.score_date = new_categories.score_date
            and window_features.model_name = new_categories.model_name
            and window_features.feature_name = new_categories.feature_name
    left join ks_statistics
        on
            window_features.score_date = ks_statistics.score_date
            and window_features.model_name = ks_statistics.model_name
            and window_features.feature_name = ks_statistics.feature_name
    {{ score_monitoring.chi_square_critical_value_join('bin_metrics.bin_count - 1') }}

)

select * from final
