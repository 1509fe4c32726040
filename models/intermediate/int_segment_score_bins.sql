{#- One row per processed (score_date, model_name), segment column of the model, segment value
    (NULL is a value of its own) and score bin holding valid scores on either side: the bin counts
    and score sums of the segment's valid scores today and in the model's reference window, binned
    on the model's reference decile edges (int_drift_edges). A model in drift_reference_mode
    'profile' has no reference rows here (a profile holds no segments). -#}
{%- set segment_columns = score_monitoring.monitored_columns('segment_columns') -%}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = score_monitoring.type_double() -%}

with drift_values as (

    select * from {{ ref('int_drift_values') }}

),

edges as (

    select * from {{ ref('int_drift_edges') }}

),

{%- set scope_selects = [] %}
{%- for column, scopes in segment_columns.items() %}
    {%- for scope in scopes %}
        {%- do scope_selects.append("select '" ~ scope ~ "' as model_scope, '" ~ column ~ "' as segment_column") %}
    {%- endfor %}
{%- endfor %}

segment_values as (

    {%- if segment_columns %}
    select
        drift_values.score_date,
        drift_values.model_name,
        drift_values.side,
        cast(monitored_segments.segment_column as {{ string_type }}) as segment_column,
        cast(case monitored_segments.segment_column
            {%- for column in segment_columns %}
            when '{{ column }}' then drift_values.{{ column }}
            {%- endfor %}
        end as {{ string_type }}) as segment_value,
        drift_values.numeric_value as score
    from drift_values
    inner join (
        {{ scope_selects | join('\n        union all\n        ') }}
    ) as monitored_segments
        on monitored_segments.model_scope = {{ score_monitoring.model_scope_key('drift_values.model_name') }}
    where
        drift_values.feature_name = 'score'
        and drift_values.numeric_value is not null
    {%- else %}
    {#- No segment columns configured: an empty table with the columns. #}
    select
        score_date,
        model_name,
        side,
        cast(null as {{ string_type }}) as segment_column,
        cast(null as {{ string_type }}) as segment_value,
        numeric_value as score
    from drift_values
    where false
    {%- endif %}

),

binned_values as (

    select
        segment_values.score_date,
        segment_values.model_name,
        segment_values.segment_column,
        segment_values.segment_value,
        segment_values.side,
        segment_values.score,
        {{ score_monitoring.decile_bin_index('segment_values.score', 'edges.edge_', 9) }} as bin_index
    from segment_values
    {#- Without reference edges (no reference yet) every value counts in bin 0: counts and means stay right. #}
    left join edges
        on
            segment_values.score_date = edges.score_date
            and segment_values.model_name = edges.model_name
            and edges.feature_name = 'score'

),

final as (

    select
        score_date,
        model_name,
        segment_column,
        segment_value,
        bin_index,
        {{ score_monitoring.count_where("side = 'current'") }} as current_count,
        {{ score_monitoring.count_where("side = 'reference'") }} as reference_count,
        cast(sum(case when side = 'current' then score else 0 end) as {{ double_type }}) as current_score_sum,
        cast(sum(case when side = 'reference' then score else 0 end) as {{ double_type }}) as reference_score_sum
    from binned_values
    group by score_date, model_name, segment_column, segment_value, bin_index

)

select * from final
