{#- The standalone score-monitoring query for BigQuery scheduled queries: one row per model for
    the run date (@run_date), built from the project's macros, with the score health metrics,
    the score PSI and its psi_critical_value against the model's previous score date (looked for
    within var previous_reference_max_gap_days, the same rule as the models) and a monitoring_status:
    the registry's checks it has inputs for, judged by the thresholds seed and the one status rule. -#}
{%- set run_date = score_monitoring.run_date_parameter() -%}
{%- set input_columns = score_monitoring.input_columns('scores') -%}
{%- set has_review_flag = 'review_flag' in input_columns -%}
{%- set has_latency = 'latency_ms' in input_columns -%}
{#- The score checks this query has the inputs for, as check_registry() defines them. -#}
{%- set query_checks = [
    'row_count', 'duplicate_rate', 'model_version_count', 'null_score_rate', 'out_of_bounds_rate', 'score_psi', 'latency_p95', 'error_rate',
] -%}
{%- set checks = score_monitoring.check_registry('score') | selectattr('name', 'in', query_checks) | list -%}
{%- set lookback_start = score_monitoring.add_days(run_date, -score_monitoring.setting('previous_reference_max_gap_days')) -%}

with staged_scores as (

    select * from {{ ref('stg_scores') }}
    where score_date between {{ lookback_start }} and {{ run_date }}

),

thresholds as (

    select * from {{ ref('monitoring_thresholds') }}

),

run_date_scores as (

    select * from staged_scores
    where score_date = {{ run_date }}

),

model_health as (

    select
        score_date,
        model_name,
        {{ score_monitoring.score_health_aggregates(has_review_flag, 'error_flag' in input_columns) }}
    from run_date_scores
    group by score_date, model_name

),

model_quantiles as (

    {{ score_monitoring.score_quantiles('run_date_scores', ['score_date', 'model_name']) }}

),
{%- if has_latency %}

model_latencies as (

    {{ score_monitoring.latency_quantiles('run_date_scores', ['score_date', 'model_name']) }}

),
{%- endif %}

previous_score_dates as (

    select
        model_name,
        max(score_date) as reference_date
    from staged_scores
    where score_date < {{ run_date }}
    group by model_name

),

reference_scores as (

    select staged_scores.*
    from staged_scores
    inner join previous_score_dates
        on
            staged_scores.model_name = previous_score_dates.model_name
            and staged_scores.score_date = previous_score_dates.reference_date

),

version_lists as (

    select
        model_name,
        string_agg(case when side = 'current' then model_version end, ', ' order by model_version) as current_versions,
        string_agg(case when side = 'reference' then model_version end, ', ' order by model_version) as reference_versions,
        count(case when side = 'reference' then model_version end) as reference_version_count,
        count(case when side = 'reference' and is_shared then model_version end) as shared_version_count
    from (
        select
            model_name,
            model_version,
            side,
            min(side) over (partition by model_name, model_version) <> max(side) over (partition by model_name, model_version) as is_shared
        from (
            select distinct
                model_name,
                model_version,
                'current' as side
            from run_date_scores
            union all
            select distinct
                model_name,
                model_version,
                'reference' as side
            from reference_scores
        ) as sided_versions
    ) as versions
    group by model_name

),

reference_deciles as (

    {{ score_monitoring.reference_deciles('reference_scores', ['model_name'], 'valid_score') }}

),

reference_edges as (

    select
        model_name,
        {{ score_monitoring.collapsed_decile_edges() }}
    from reference_deciles

),

reference_bin_counts as (

    select
        model_name,
        {{ score_monitoring.edge_bin_count('edge_') }} as bin_count
    from reference_edges

),

binned_scores as (

    select
        'current' as side,
        run_date_scores.model_name,
        {{ score_monitoring.decile_bin_index('run_date_scores.valid_score', 'reference_edges.edge_', 9) }} as bin_index
    from run_date_scores
    inner join reference_edges
        on run_date_scores.model_name = reference_edges.model_name
    where run_date_scores.valid_score is not null
    union all
    select
        'reference' as side,
        reference_scores.model_name,
        {{ score_monitoring.decile_bin_index('reference_scores.valid_score', 'reference_edges.edge_', 9) }} as bin_index
    from reference_scores
    inner join reference_edges
        on reference_scores.model_name = reference_edges.model_name
    where reference_scores.valid_score is not null

),

bin_counts as (

    select
        model_name,
        bin_index,
        {{ score_monitoring.count_where("side = 'current'") }} as current_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_count
    from binned_scores
    group by model_name, bin_index

),

bin_shares as (

    select
        model_name,
        current_count,
        reference_count,
        {{ score_monitoring.safe_divide('current_count', 'sum(current_count) over (partition by model_name)') }} as current_share,
        {{ score_monitoring.safe_divide('reference_count', 'sum(reference_count) over (partition by model_name)') }} as reference_share
    from bin_counts

),

score_psi as (

    select
        bin_shares.model_name,
        {{ score_monitoring.population_stability_index('bin_shares.current_share', 'bin_shares.reference_share') }} as psi,
        sum(bin_shares.current_count) as current_row_count,
        max(reference_bin_counts.bin_count) as bin_count
    from bin_shares
    inner join reference_bin_counts
        on bin_shares.model_name = reference_bin_counts.model_name
    group by bin_shares.model_name

),

score_significance as (

    select
        score_psi.model_name,
        score_psi.psi,
        score_psi.current_row_count,
        {{ score_monitoring.psi_critical_value(
            'critical_values.critical_value', 'score_psi.bin_count', 'score_psi.current_row_count', 'reference_deciles.value_count'
        ) }} as psi_critical_value
    from score_psi
    inner join reference_deciles
        on score_psi.model_name = reference_deciles.model_name
    {{ score_monitoring.chi_square_critical_value_join('score_psi.bin_count - 1') }}

),

model_metrics as (

    select
        model_health.*,
        {%- for percent in score_monitoring.score_quantile_percents() %}
        model_quantiles.score_p{{ '%02d' % percent }},
        {%- endfor %}
        {{ score_monitoring.latency_columns('model_latencies', has_latency) }},
        previous_score_dates.reference_date,
        score_significance.psi,
        score_significance.psi_critical_value,
        score_significance.current_row_count
    from model_health
    left join model_quantiles
        on model_health.model_name = model_quantiles.model_name
    {%- if has_latency %}
    left join model_latencies
        on model_health.model_name = model_latencies.model_name
    {%- endif %}
    left join previous_score_dates
        on model_health.model_name = previous_score_dates.model_name
    left join score_significance
        on model_health.model_name = score_significance.model_name

),

check_inputs as (

    select
        model_metrics.*,
        reference_deciles.value_count as reference_row_count,
        true as model_has_scores,
        version_lists.current_versions,
        version_lists.reference_versions,
        {#- The rule of int_version_windows for the previous score date. #}
        coalesce({{ score_monitoring.setting_sql('version_aware_reference', 'model_metrics.model_name') }}
            and version_lists.reference_version_count > 0 and version_lists.shared_version_count = 0, false) as is_version_change,
        model_metrics.reference_date as reference_start,
        model_metrics.reference_date as reference_end
    from model_metrics
    left join reference_deciles
        on model_metrics.model_name = reference_deciles.model_name
    left join version_lists
        on model_metrics.model_name = version_lists.model_name

),

check_metrics as (

    {{ score_monitoring.check_rows(checks, 'check_inputs') }}

),

evaluated_checks as (

    {{ score_monitoring.evaluate_checks('check_metrics', 'thresholds') }}

),

model_statuses as (

    select
        model_name,
        {{ score_monitoring.status_rollup('status') }}
    from evaluated_checks
    group by model_name

),

final as (

    select
        model_metrics.*,
        model_statuses.overall_status as monitoring_status,
        model_statuses.fail_count,
        model_statuses.warn_count
    from model_metrics
    left join model_statuses
        on model_metrics.model_name = model_statuses.model_name

)

select * from final
