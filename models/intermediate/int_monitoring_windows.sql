{#- One row per (score_date, model_name) this run processes, including days where a model was
    expected but scored nothing, with the drift reference window of each day. Scores are read from
    scan_start_date('reference') on (partition pruning); on incremental runs the models already
    monitored come from score_health_daily, so a model silent for longer than the scan still gets
    its row_count-0 rows. A model named in var monitored_models that never scored gets rows from
    the monitoring date on (model_has_scores false), so its checks say so. Each model's reference
    window follows its own drift_reference_mode. -#}
{%- set settings = score_monitoring.monitored_model_settings() -%}
{%- set monitoring_date = score_monitoring.date_literal(score_monitoring.monitoring_date()) -%}
{%- set processing_start = score_monitoring.processing_start_date() -%}
{%- set scan_start = score_monitoring.scan_start_date('reference') -%}
{%- set max_gap_days = score_monitoring.setting('previous_reference_max_gap_days') -%}
{%- set reference_starts = {} -%}
{%- set reference_ends = {} -%}
{%- for scope, model_settings in settings.items() -%}
    {#- A profile holds the distributions only: volume, decision and review rates compare with the previous date. -#}
    {%- if model_settings.drift_reference_mode in ['previous', 'profile'] -%}
        {#- An earlier score date more than var previous_reference_max_gap_days back is no reference
            (the incremental scan does not reach it; full builds apply the same rule). -#}
        {%- set previous = "case when previous_score_date >= " ~ score_monitoring.add_days('score_date', -max_gap_days) ~ " then previous_score_date end" -%}
        {%- do reference_starts.update({scope: previous}) -%}
        {%- do reference_ends.update({scope: previous}) -%}
    {%- elif model_settings.drift_reference_mode == 'trailing' -%}
        {%- do reference_starts.update({scope: score_monitoring.add_days('score_date', -model_settings.drift_reference_days)}) -%}
        {%- do reference_ends.update({scope: score_monitoring.add_days('score_date', -1)}) -%}
    {%- else -%}
        {%- do reference_starts.update({scope: score_monitoring.date_literal(model_settings.drift_reference_start)}) -%}
        {%- do reference_ends.update({scope: score_monitoring.date_literal(model_settings.drift_reference_end)}) -%}
    {%- endif -%}
{%- endfor -%}
{%- set configured_models = score_monitoring.setting('monitored_models').keys() | list | sort -%}
{%- set monitored_relation = none -%}
{%- if scan_start is not none -%}
    {#- Incremental run: every monitoring table exists (processing_start_date() is not none), so
        score_health_daily holds the models monitored before this run. Not a ref(): it is built
        from this model; this reads the previous run's state. -#}
    {%- set monitored_relation = score_monitoring.state_relation('score_health_daily') -%}
{%- endif -%}

with staged_scores as (

    select * from {{ ref('stg_scores') }}

),

scored_model_days as (

    select
        score_date,
        model_name,
        count(*) as row_count,
        {{ score_monitoring.count_where("decision") }} as decision_count,
        count(decision) as decision_known_count,
        {{ score_monitoring.count_where("review_flag") }} as review_count,
        count(review_flag) as review_known_count
    from staged_scores
    where
        {{ score_monitoring.score_date_scan_filter('score_date', scan_start, score_monitoring.monitoring_date()) }}
    group by score_date, model_name

),

model_first_dates as (

    select
        model_name,
        min(first_score_date) as first_score_date
    from (
        select
            model_name,
            min(score_date) as first_score_date
        from scored_model_days
        group by model_name
        {%- if monitored_relation is not none %}
        union all
        select
            model_name,
            min(score_date) as first_score_date
        from {{ monitored_relation }}
        where score_date < {{ score_monitoring.date_literal(processing_start) }} and row_count > 0
        group by model_name
        {%- endif %}
        {%- for model_name in configured_models %}
        union all
        select
            '{{ model_name }}' as model_name,
            cast(null as date) as first_score_date
        {%- endfor %}
    ) as first_dates
    group by model_name

),

input_dates as (

    select distinct score_date
    from (
        select score_date from scored_model_days
        union all
        select {{ monitoring_date }} as score_date
    ) as candidate_dates

),

expected_model_days as (

    select
        input_dates.score_date,
        model_first_dates.model_name,
        model_first_dates.first_score_date is not null as model_has_scores
    from input_dates
    cross join model_first_dates
    where input_dates.score_date >= coalesce(model_first_dates.first_score_date, {{ monitoring_date }})

),

model_days_with_previous as (

    select
        expected_model_days.score_date,
        expected_model_days.model_name,
        expected_model_days.model_has_scores,
        max(scored_model_days.score_date) over (
            partition by expected_model_days.model_name
            order by expected_model_days.score_date
            rows between unbounded preceding and 1 preceding
        ) as previous_score_date
    from expected_model_days
    left join scored_model_days
        on
            expected_model_days.model_name = scored_model_days.model_name
            and expected_model_days.score_date = scored_model_days.score_date

),

processed_model_days as (

    select
        score_date,
        model_name,
        model_has_scores,
        score_date = {{ monitoring_date }} as is_monitoring_date,
        {{ score_monitoring.per_model_case('model_name', reference_starts) }} as reference_start,
        {{ score_monitoring.per_model_case('model_name', reference_ends) }} as reference_end
    from model_days_with_previous
    where
        score_date <= {{ monitoring_date }}
        {%- if processing_start is not none %}
        and score_date >= {{ score_monitoring.date_literal(processing_start) }}
        {%- endif %}

),

reference_volumes as (

    select
        processed_model_days.score_date,
        processed_model_days.model_name,
        count(scored_model_days.score_date) as reference_day_count,
        cast(sum(scored_model_days.row_count) as {{ dbt.type_bigint() }}) as reference_total_rows,
        cast(sum(scored_model_days.decision_count) as {{ dbt.type_bigint() }}) as reference_decision_count,
        cast(sum(scored_model_days.decision_known_count) as {{ dbt.type_bigint() }}) as reference_decision_known_count,
        cast(sum(scored_model_days.review_count) as {{ dbt.type_bigint() }}) as reference_review_count,
        cast(sum(scored_model_days.review_known_count) as {{ dbt.type_bigint() }}) as reference_review_known_count
    from processed_model_days
    inner join scored_model_days
        on
            processed_model_days.model_name = scored_model_days.model_name
            and scored_model_days.score_date between processed_model_days.reference_start and processed_model_days.reference_end
    group by processed_model_days.score_date, processed_model_days.model_name

),

final as (

    select
        processed_model_days.score_date,
        processed_model_days.model_name,
        processed_model_days.model_has_scores,
        processed_model_days.is_monitoring_date,
        processed_model_days.reference_start,
        processed_model_days.reference_end,
        coalesce(reference_volumes.reference_day_count, 0) as reference_day_count,
        coalesce(reference_volumes.reference_total_rows, 0) as reference_total_rows,
        {{ score_monitoring.safe_divide(
            'reference_volumes.reference_total_rows', 'reference_volumes.reference_day_count'
        ) }} as reference_daily_row_count,
        {{ score_monitoring.safe_divide(
            'reference_volumes.reference_decision_count', 'reference_volumes.reference_decision_known_count'
        ) }} as reference_decision_rate,
        {{ score_monitoring.safe_divide(
            'reference_volumes.reference_review_count', 'reference_volumes.reference_review_known_count'
        ) }} as reference_review_rate
    from processed_model_days
    left join reference_volumes
        on
            processed_model_days.score_date = reference_volumes.score_date
            and processed_model_days.model_name = reference_volumes.model_name

)

select * from final
