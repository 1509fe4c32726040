{{ config(partition_by=score_monitoring.score_date_partition()) }}
{#- Contract table score_mean_decomposition_daily: per processed (score_date, model_name) and
    segment column of the model, the change of the mean valid score against the reference window
    split into a mix effect (the segments' shares moved) and a within effect (scores moved inside
    the segments); the two add up to the change. NULL without reference rows. -#}

with segment_drift as (

    select * from {{ ref('segment_drift_daily') }}

),

model_means as (

    select
        score_date,
        model_name,
        segment_column,
        {{ score_monitoring.safe_divide('sum(row_count * coalesce(score_mean, 0))', 'sum(row_count)') }} as score_mean,
        {{ score_monitoring.safe_divide('sum(reference_row_count * coalesce(reference_score_mean, 0))', 'sum(reference_row_count)') }} as reference_score_mean
    from segment_drift
    group by score_date, model_name, segment_column

),

segment_effects as (

    {#- A value absent from the reference takes the model's reference mean as its m0; a value absent
        today has w1 = 0, so it adds to the mix effect only. #}
    select
        segment_drift.score_date,
        segment_drift.model_name,
        segment_drift.segment_column,
        (segment_drift.row_share - segment_drift.reference_row_share)
        * coalesce(segment_drift.reference_score_mean, model_means.reference_score_mean) as mix_term,
        case
            when segment_drift.row_share = 0 then 0
            else segment_drift.row_share * (segment_drift.score_mean - coalesce(segment_drift.reference_score_mean, model_means.reference_score_mean))
        end as within_term
    from segment_drift
    inner join model_means
        on
            segment_drift.score_date = model_means.score_date
            and segment_drift.model_name = model_means.model_name
            and segment_drift.segment_column = model_means.segment_column

),

effects as (

    select
        score_date,
        model_name,
        segment_column,
        sum(mix_term) as mix_effect,
        sum(within_term) as within_effect
    from segment_effects
    group by score_date, model_name, segment_column

),

final as (

    select
        model_means.score_date,
        model_means.model_name,
        model_means.segment_column,
        model_means.score_mean,
        model_means.reference_score_mean,
        model_means.score_mean - model_means.reference_score_mean as score_mean_change,
        case when model_means.reference_score_mean is not null and model_means.score_mean is not null then effects.mix_effect end as mix_effect,
        case when model_means.reference_score_mean is not null and model_means.score_mean is not null then effects.within_effect end as within_effect
    from model_means
    inner join effects
        on
            model_means.score_date = effects.score_date
            and model_means.model_name = effects.model_name
            and model_means.segment_column = effects.segment_column

)

select * from final
