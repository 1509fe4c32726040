{#- One row per bin of every categorical drift subject: one bin per category, the top-K by volume
    (K the model's categorical_top_k) kept and the rest merged into '__other__', with counts and
    shares over non-null values on both sides. -#}
{%- set top_k = score_monitoring.setting_sql('categorical_top_k', 'model_name') -%}

with category_counts as (

    select * from {{ ref('int_drift_category_counts') }}

),

ranked_categories as (

    select
        *,
        row_number() over (
            partition by score_date, model_name, feature_name
            order by current_count + reference_count desc, category_value
        ) as volume_rank
    from category_counts

),

capped_categories as (

    select
        score_date,
        model_name,
        feature_name,
        case when volume_rank <= {{ top_k }} then category_value else '__other__' end as category_value,
        cast(sum(current_count) as {{ dbt.type_bigint() }}) as current_count,
        cast(sum(reference_count) as {{ dbt.type_bigint() }}) as reference_count
    from ranked_categories
    group by
        score_date,
        model_name,
        feature_name,
        case when volume_rank <= {{ top_k }} then category_value else '__other__' end

),

bins as (

    select
        score_date,
        model_name,
        feature_name,
        category_value,
        current_count,
        reference_count,
        row_number() over (
            partition by score_date, model_name, feature_name
            order by case when category_value = '__other__' then 1 else 0 end, category_value
        ) - 1 as bin_index
    from capped_categories

),

bins_with_shares as (

    select
        *,
        {{ score_monitoring.drift_bin_shares() }}
    from bins

)

select * from bins_with_shares
