{#- Exact two-sample KS statistic of every numeric drift subject, current day against reference.
    The numeric rows go in as a subquery, not a CTE: two_sample_ks reads its input three times,
    and DuckDB would materialise a CTE instead of streaming the view each time. -#}
{%- set numeric_drift_values -%}
    (select * from {{ ref('int_drift_values') }} where feature_type = 'numeric')
{%- endset -%}

with ks_statistics as (

    {{ score_monitoring.two_sample_ks(numeric_drift_values, ['score_date', 'model_name', 'feature_name'], 'numeric_value', 'side') }} -- noqa: PRS

)

select * from ks_statistics
