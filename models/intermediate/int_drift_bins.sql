{#- One row per bin of every drift subject: reference-decile bins for numeric subjects, one bin
    per category (top-K by volume, K the model's categorical_top_k, the rest in '__other__') for categorical ones, with counts and
    shares over non-null values on both sides. -#}
{%- set double_type = score_monitoring.type_double() -%}
{%- set top_k = score_monitoring.setting_sql('categorical_top_k', 'model_name') -%}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

edges as (

    select * from {{ ref('int_drift_edges') }}

),

category_counts as (

    select * from {{ ref('int_drift_category_counts') }}

),

binned_numeric_values as (

    select
        drift_values.score_date,
        drift_values.model_name,
        drift_values.feature_name,
        drift_values.side,
        drift_values.numeric_value < edges.reference_min or drift_values.numeric_value > edges.reference_max as is_out_of_reference_range,
        {{ score_monitoring.decile_bin_index('drift_values.numeric_value', 'edges.edge_', 9) }} as bin_index
    from drift_values
    inner join edges
        on
            drift_values.score_date = edges.score_date
            and drift_values.model_name = edges.model_name
            and drift_values.feature_name = edges.feature_name
    where
        drift_values.feature_type = 'numeric'
        and drift_values.numeric_value is not null

),

numeric_bin_counts as (

    select
        score_date,
        model_name,
        feature_name,
        bin_index,
        {{ score_monitoring.count_where("side = 'current'") }} as current_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_count,
        {{ score_monitoring.count_where("side = 'current' and is_out_of_reference_range") }} as current_out_of_range_count
    from binned_numeric_values
    group by score_date, model_name, feature_name, bin_index

),

edge_rows as (

    {%- for edge_number in range(1, 10) %}
    {{ 'union all' if not loop.first }}
    select score_date, model_name, feature_name, edge_{{ edge_number }} as edge_value
    from edges
    where edge_{{ edge_number }} is not null
    {%- endfor %}

),

numeric_bin_lower_edges as (

    select
        score_date,
        model_name,
        feature_name,
        0 as bin_index,
        cast(null as {{ double_type }}) as lower_edge
    from edges
    union all
    select
        score_date,
        model_name,
        feature_name,
        row_number() over (partition by score_date, model_name, feature_name order by edge_value) as bin_index,
        edge_value as lower_edge
    from edge_rows

),

numeric_bins as (

    select
        numeric_bin_lower_edges.score_date,
        numeric_bin_lower_edges.model_name,
        numeric_bin_lower_edges.feature_name,
        'numeric' as feature_type,
        numeric_bin_lower_edges.bin_index,
        cast(null as {{ dbt.type_string() }}) as category_value,
        numeric_bin_lower_edges.lower_edge,
        lead(numeric_bin_lower_edges.lower_edge) over (
            partition by numeric_bin_lower_edges.score_date, numeric_bin_lower_edges.model_name, numeric_bin_lower_edges.feature_name
            order by numeric_bin_lower_edges.bin_index
        ) as upper_edge,
        coalesce(numeric_bin_counts.current_count, 0) as current_count,
        coalesce(numeric_bin_counts.reference_count, 0) as reference_count,
        coalesce(numeric_bin_counts.current_out_of_range_count, 0) as current_out_of_range_count
    from numeric_bin_lower_edges
    left join numeric_bin_counts
        on
            numeric_bin_lower_edges.score_date = numeric_bin_counts.score_date
            and numeric_bin_lower_edges.model_name = numeric_bin_counts.model_name
            and numeric_bin_lower_edges.feature_name = numeric_bin_counts.feature_name
            and numeric_bin_lower_edges.bin_index = numeric_bin_counts.bin_index

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

categorical_bins as (

    select
        score_date,
        model_name,
        feature_name,
        'categorical' as feature_type,
        row_number() over (
            partition by score_date, model_name, feature_name
            order by case when category_value = '__other__' then 1 else 0 end, category_value
        ) - 1 as bin_index,
        category_value,
        cast(null as {{ double_type }}) as lower_edge,
        cast(null as {{ double_type }}) as upper_edge,
        current_count,
        reference_count,
        0 as current_out_of_range_count
    from capped_categories

),

all_bins as (

    select * from numeric_bins
    union all
    select * from categorical_bins

),

bins_with_shares as (

    select
        *,
        {{ score_monitoring.safe_divide('current_count', 'sum(current_count) over (partition by score_date, model_name, feature_name)') }} as current_share,
        {{ score_monitoring.safe_divide('reference_count', 'sum(reference_count) over (partition by score_date, model_name, feature_name)') }} as reference_share
    from all_bins

)

select * from bins_with_shares
