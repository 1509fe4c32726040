{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table segment_drift_daily: per processed (score_date, model_name), segment column of
    the model and segment value (NULL is a value of its own), the segment's volume and score
    distribution today against the same segment in the model's reference window: row shares, score
    means, and PSI / JS distance on the model's reference decile bins, with the critical values the
    segment checks judge them by. -#}
{%- set min_rows = score_monitoring.setting_sql('min_segment_rows', 'segment_totals.model_name') -%}
{%- set double_type = score_monitoring.type_double() -%}

with segment_bins as (

    select * from {{ ref('int_segment_score_bins') }}

),

edges as (

    select * from {{ ref('int_drift_edges') }}
    where feature_name = 'score'

),

bin_shares as (

    select
        *,
        {{ score_monitoring.safe_divide(
            'current_count', 'sum(current_count) over (partition by score_date, model_name, segment_column, segment_value)'
        ) }} as current_share,
        {{ score_monitoring.safe_divide(
            'reference_count', 'sum(reference_count) over (partition by score_date, model_name, segment_column, segment_value)'
        ) }} as reference_share
    from segment_bins

),

segment_totals as (

    select
        score_date,
        model_name,
        segment_column,
        segment_value,
        cast(sum(current_count) as {{ dbt.type_bigint() }}) as row_count,
        cast(sum(reference_count) as {{ dbt.type_bigint() }}) as reference_row_count,
        sum(current_score_sum) as current_score_sum,
        sum(reference_score_sum) as reference_score_sum,
        {{ score_monitoring.population_stability_index('current_share', 'reference_share') }} as psi,
        {{ score_monitoring.jensen_shannon_distance('current_share', 'reference_share') }} as js_distance
    from bin_shares
    group by score_date, model_name, segment_column, segment_value

),

model_totals as (

    select
        score_date,
        model_name,
        segment_column,
        sum(row_count) as model_row_count,
        sum(reference_row_count) as model_reference_row_count
    from segment_totals
    group by score_date, model_name, segment_column

),

model_bins as (

    select
        score_date,
        model_name,
        {{ score_monitoring.edge_bin_count('edge_') }} as bin_count
    from edges

),

segment_shares as (

    select
        segment_totals.score_date,
        segment_totals.model_name,
        segment_totals.segment_column,
        segment_totals.segment_value,
        segment_totals.row_count,
        segment_totals.reference_row_count,
        {{ score_monitoring.safe_divide('segment_totals.row_count', 'model_totals.model_row_count') }} as row_share,
        {{ score_monitoring.safe_divide('segment_totals.reference_row_count', 'model_totals.model_reference_row_count') }} as reference_row_share,
        {{ score_monitoring.safe_divide('segment_totals.current_score_sum', 'segment_totals.row_count') }} as score_mean,
        {{ score_monitoring.safe_divide('segment_totals.reference_score_sum', 'segment_totals.reference_row_count') }} as reference_score_mean,
        case
            when segment_totals.row_count >= {{ min_rows }} and segment_totals.reference_row_count >= {{ min_rows }}
                then model_bins.bin_count
        end as bin_count,
        case
            when segment_totals.row_count >= {{ min_rows }} and segment_totals.reference_row_count >= {{ min_rows }}
                then segment_totals.psi
        end as psi,
        case
            when segment_totals.row_count >= {{ min_rows }} and segment_totals.reference_row_count >= {{ min_rows }}
                then segment_totals.js_distance
        end as js_distance,
        model_totals.model_row_count,
        model_totals.model_reference_row_count,
        {{ score_monitoring.safe_divide(
            'segment_totals.row_count + segment_totals.reference_row_count',
            'model_totals.model_row_count + model_totals.model_reference_row_count'
        ) }} as pooled_share
    from segment_totals
    inner join model_totals
        on
            segment_totals.score_date = model_totals.score_date
            and segment_totals.model_name = model_totals.model_name
            and segment_totals.segment_column = model_totals.segment_column
    left join model_bins
        on
            segment_totals.score_date = model_bins.score_date
            and segment_totals.model_name = model_bins.model_name

),

final as (

    select
        segment_shares.score_date,
        segment_shares.model_name,
        segment_shares.segment_column,
        segment_shares.segment_value,
        segment_shares.row_count,
        segment_shares.reference_row_count,
        segment_shares.row_share,
        segment_shares.reference_row_share,
        segment_shares.score_mean,
        segment_shares.reference_score_mean,
        segment_shares.bin_count,
        segment_shares.psi,
        segment_shares.js_distance,
        {{ score_monitoring.psi_critical_value(
            'psi_critical.critical_value', 'segment_shares.bin_count', 'segment_shares.row_count', 'segment_shares.reference_row_count'
        ) }} as psi_critical_value,
        {#- A two-proportion test of row_share against reference_row_share (chi-square, 1 degree of
            freedom, pooled share): the shift sampling noise alone exceeds with probability about drift_alpha. #}
        case
            when segment_shares.model_row_count > 0 and segment_shares.model_reference_row_count > 0
                then sqrt(
                    share_critical.critical_value * segment_shares.pooled_share * (1 - segment_shares.pooled_share)
                    * (1 / cast(segment_shares.model_row_count as {{ double_type }}) + 1 / cast(segment_shares.model_reference_row_count as {{ double_type }}))
                )
        end as row_share_critical_value
    from segment_shares
    {{ score_monitoring.chi_square_critical_value_join('segment_shares.bin_count - 1', 'psi_critical') }}
    {{ score_monitoring.chi_square_critical_value_join('1', 'share_critical') }}

)

select * from final
