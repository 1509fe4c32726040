{#- Reference deciles of every numeric drift subject: the bin edges, with duplicate edges
    collapsed to NULL (quantiles are sorted, so duplicates are neighbours). -#}
{%- set double_type = score_monitoring.type_double() -%}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

reference_deciles as (

    select
        score_date,
        model_name,
        feature_name,
        count(numeric_value) as reference_value_count,
        min(numeric_value) as reference_min,
        max(numeric_value) as reference_max,
        {%- for decile_expression in score_monitoring.quantile_aggregates('numeric_value', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) %}
        cast({{ decile_expression }} as {{ double_type }}) as decile_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from drift_values
    where
        side = 'reference'
        and feature_type = 'numeric'
        and numeric_value is not null
    group by score_date, model_name, feature_name

),

collapsed_edges as (

    select
        score_date,
        model_name,
        feature_name,
        reference_value_count,
        reference_min,
        reference_max,
        decile_1 as edge_1,
        {%- for decile in range(2, 10) %}
        case when decile_{{ decile }} > decile_{{ decile - 1 }} then decile_{{ decile }} end as edge_{{ decile }}{{ ',' if not loop.last }}
        {%- endfor %}
    from reference_deciles

)

select * from collapsed_edges
