{#- One row per bin of every numeric drift subject (the score and numeric features): the
    reference-decile bins of int_drift_edges with counts and shares over non-null values on both
    sides, and the current values outside the reference range. In drift_reference_mode 'profile'
    the bins and reference counts are the profile's. -#}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

edges as (

    select * from {{ ref('int_drift_edges') }}

),

windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

reference_profile as (

    select * from {{ ref('int_reference_profile') }}

),

binned_values as (

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

value_bin_counts as (

    select
        score_date,
        model_name,
        feature_name,
        bin_index,
        {{ score_monitoring.count_where("side = 'current'") }} as current_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_count,
        {{ score_monitoring.count_where("side = 'current' and is_out_of_reference_range") }} as current_out_of_range_count
    from binned_values
    group by score_date, model_name, feature_name, bin_index

),

profile_bin_counts as (

    {#- A model in drift_reference_mode 'profile' has no reference rows: its profile's counts instead. #}
    select
        windows.score_date,
        reference_profile.model_name,
        reference_profile.feature_name,
        reference_profile.bin_index,
        0 as current_count,
        reference_profile.reference_count,
        0 as current_out_of_range_count
    from reference_profile
    inner join windows
        on reference_profile.model_name = windows.model_name
    where reference_profile.feature_type = 'numeric'

),

bin_counts as (

    select
        score_date,
        model_name,
        feature_name,
        bin_index,
        cast(sum(current_count) as {{ dbt.type_bigint() }}) as current_count,
        cast(sum(reference_count) as {{ dbt.type_bigint() }}) as reference_count,
        cast(sum(current_out_of_range_count) as {{ dbt.type_bigint() }}) as current_out_of_range_count
    from (
        select * from value_bin_counts
        union all
        select * from profile_bin_counts
    ) as counted_bins
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

bin_lower_edges as (

    select
        score_date,
        model_name,
        feature_name,
        0 as bin_index,
        cast(null as {{ score_monitoring.type_double() }}) as lower_edge
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

bins as (

    select
        bin_lower_edges.score_date,
        bin_lower_edges.model_name,
        bin_lower_edges.feature_name,
        bin_lower_edges.bin_index,
        bin_lower_edges.lower_edge,
        lead(bin_lower_edges.lower_edge) over (
            partition by bin_lower_edges.score_date, bin_lower_edges.model_name, bin_lower_edges.feature_name
            order by bin_lower_edges.bin_index
        ) as upper_edge,
        coalesce(bin_counts.current_count, 0) as current_count,
        coalesce(bin_counts.reference_count, 0) as reference_count,
        coalesce(bin_counts.current_out_of_range_count, 0) as current_out_of_range_count
    from bin_lower_edges
    left join bin_counts
        on
            bin_lower_edges.score_date = bin_counts.score_date
            and bin_lower_edges.model_name = bin_counts.model_name
            and bin_lower_edges.feature_name = bin_counts.feature_name
            and bin_lower_edges.bin_index = bin_counts.bin_index

),

bins_with_shares as (

    select
        *,
        {{ score_monitoring.drift_bin_shares() }}
    from bins

)

select * from bins_with_shares
