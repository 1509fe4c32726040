{{ config(partition_by=score_monitoring.score_date_partition(), meta={'monitoring_state': false}) }}
{#- Contract table version_comparison_daily: on a day when a model scored under two or more
    versions (shadow or canary), one row per version other than the day's baseline (the version
    with the most rows; ties: the lowest version string), compared with the baseline over their
    shared entities (one row with a valid score under each of the two versions; an entity with
    several rows under either version is left out): rank correlation, decision agreement, mean
    score change and, once the cohort is due (int_label_cohorts), both versions' realized AUC on
    the shared entities with a usable label. Not a monitoring_state table: a day with one version
    has no row, so its latest date may trail. A run recomputes the processed days and the stored
    days whose cohort has come due or whose labels changed since (label_state), and reads the
    scores and label matches of those dates only (partition pruning). -#}
{%- set monitoring_date = score_monitoring.monitoring_date() -%}
{%- set comparison_dates = none -%}
{%- if execute and is_incremental() -%}
    {%- set processing_start = score_monitoring.processing_start_date() -%}
    {%- if processing_start is not none -%}
        {%- set parse = modules.datetime.datetime.strptime -%}
        {%- set first_day = parse(processing_start, '%Y-%m-%d') -%}
        {%- set comparison_dates = [] -%}
        {%- for offset in range((parse(monitoring_date, '%Y-%m-%d') - first_day).days + 1) -%}
            {%- do comparison_dates.append(((first_day + modules.datetime.timedelta(days=offset)) | string)[:10]) -%}
        {%- endfor -%}
        {%- set stale_cohorts = run_query(
            "select distinct stored.score_date from " ~ this ~ " as stored inner join " ~ ref('int_label_cohorts') ~ " as cohorts"
            ~ " on stored.score_date = cohorts.score_date and stored.model_name = cohorts.model_name"
            ~ " where cohorts.due_date <= " ~ score_monitoring.date_literal(monitoring_date)
            ~ " and (stored.label_state is null or stored.label_state <> cohorts.label_state)"
        ) -%}
        {%- for value in stale_cohorts.columns[0].values() -%}
            {%- do comparison_dates.append((value | string)[:10]) -%}
        {%- endfor -%}
        {%- set comparison_dates = comparison_dates | unique | sort | list -%}
    {%- endif -%}
{%- endif -%}
{%- set double_type = score_monitoring.type_double() %}

with staged_scores as (

    select * from {{ ref('stg_scores') }}

),

label_matches as (

    select * from {{ ref('int_label_matches') }}

),

label_cohorts as (

    select * from {{ ref('int_label_cohorts') }}

),

version_entities as (

    {#- With one row per entity and version, max() is that row's value. #}
    select
        score_date,
        model_name,
        model_version,
        entity_id,
        count(*) as entity_row_count,
        max(valid_score) as score,
        max(decision) as decision
    from staged_scores
    where {{ score_monitoring.score_date_list_filter('score_date', comparison_dates) }}
    group by score_date, model_name, model_version, entity_id

),

ranked_versions as (

    select
        score_date,
        model_name,
        model_version,
        cast(sum(entity_row_count) as {{ dbt.type_bigint() }}) as row_count,
        row_number() over (
            partition by score_date, model_name
            order by sum(entity_row_count) desc, model_version asc
        ) as version_rank
    from version_entities
    group by score_date, model_name, model_version

),

compared_versions as (

    select
        challengers.score_date,
        challengers.model_name,
        challengers.model_version,
        challengers.row_count,
        baselines.model_version as baseline_version,
        baselines.row_count as baseline_row_count
    from ranked_versions as challengers
    inner join ranked_versions as baselines
        on
            challengers.score_date = baselines.score_date
            and challengers.model_name = baselines.model_name
            and baselines.version_rank = 1
    where challengers.version_rank > 1

),

comparable_entities as (

    select *
    from version_entities
    where entity_row_count = 1 and score is not null

),

shared_entities as (

    select
        compared_versions.score_date,
        compared_versions.model_name,
        compared_versions.model_version,
        version_entities.entity_id,
        baseline_entities.score as baseline_score,
        version_entities.score as version_score,
        baseline_entities.decision as baseline_decision,
        version_entities.decision as version_decision
    from compared_versions
    inner join comparable_entities as version_entities
        on
            compared_versions.score_date = version_entities.score_date
            and compared_versions.model_name = version_entities.model_name
            and compared_versions.model_version = version_entities.model_version
    inner join comparable_entities as baseline_entities
        on
            compared_versions.score_date = baseline_entities.score_date
            and compared_versions.model_name = baseline_entities.model_name
            and compared_versions.baseline_version = baseline_entities.model_version
            and version_entities.entity_id = baseline_entities.entity_id

),

ranked_entities as (

    {#- Average ranks (ties get the mean of the ranks they span, as scipy.stats.rankdata), centred
        on their mean (n + 1) / 2, so the Pearson sums below need no large cancelling terms. #}
    select
        score_date,
        model_name,
        model_version,
        baseline_score,
        version_score,
        baseline_decision,
        version_decision,
        rank() over (partition by score_date, model_name, model_version order by baseline_score)
        + cast(count(*) over (partition by score_date, model_name, model_version, baseline_score) - 1 as {{ double_type }}) / 2
        - cast(count(*) over (partition by score_date, model_name, model_version) + 1 as {{ double_type }}) / 2 as baseline_centred_rank,
        rank() over (partition by score_date, model_name, model_version order by version_score)
        + cast(count(*) over (partition by score_date, model_name, model_version, version_score) - 1 as {{ double_type }}) / 2
        - cast(count(*) over (partition by score_date, model_name, model_version) + 1 as {{ double_type }}) / 2 as version_centred_rank
    from shared_entities

),

comparison_aggregates as (

    select
        score_date,
        model_name,
        model_version,
        count(*) as shared_entity_count,
        sum(baseline_centred_rank * version_centred_rank) as rank_cross_sum,
        sum(baseline_centred_rank * baseline_centred_rank) as baseline_rank_square_sum,
        sum(version_centred_rank * version_centred_rank) as version_rank_square_sum,
        {{ score_monitoring.count_where('baseline_decision = version_decision') }} as agreeing_count,
        {{ score_monitoring.count_where('baseline_decision is not null and version_decision is not null') }} as decision_known_count,
        avg(version_score - baseline_score) as mean_score_change
    from ranked_entities
    group by score_date, model_name, model_version

),

due_cohorts as (

    select
        score_date,
        model_name,
        label_state
    from label_cohorts
    where
        due_date <= {{ score_monitoring.date_literal(monitoring_date) }}
        and {{ score_monitoring.score_date_list_filter('score_date', comparison_dates) }}

),

entity_labels as (

    {#- One row per scored entity with a usable label (int_label_matches repeats it per scored row). #}
    select distinct
        score_date,
        model_name,
        entity_id,
        label
    from label_matches
    where
        {{ score_monitoring.score_date_list_filter('score_date', comparison_dates) }}
        and label is not null

),

version_roles as (

    select 'baseline' as version_role
    union all
    select 'version' as version_role

),

labelled_scores as (

    {#- Each labelled shared entity twice: with the baseline's score and with the version's. #}
    select
        shared_entities.score_date,
        shared_entities.model_name,
        shared_entities.model_version,
        version_roles.version_role,
        entity_labels.label,
        case when version_roles.version_role = 'baseline' then shared_entities.baseline_score else shared_entities.version_score end as score
    from shared_entities
    inner join due_cohorts
        on
            shared_entities.score_date = due_cohorts.score_date
            and shared_entities.model_name = due_cohorts.model_name
    inner join entity_labels
        on
            shared_entities.score_date = entity_labels.score_date
            and shared_entities.model_name = entity_labels.model_name
            and shared_entities.entity_id = entity_labels.entity_id
    cross join version_roles

),

version_aucs as (

    {{ score_monitoring.roc_auc('labelled_scores', ['score_date', 'model_name', 'model_version', 'version_role'], 'score', 'label') }}

),

final as (

    select
        compared_versions.score_date,
        compared_versions.model_name,
        compared_versions.model_version,
        compared_versions.baseline_version,
        compared_versions.row_count,
        compared_versions.baseline_row_count,
        coalesce(comparison_aggregates.shared_entity_count, 0) as shared_entity_count,
        {#- Rounding can carry a perfect correlation a hair past +-1: clip it to a correlation's range. #}
        case
            when comparison_aggregates.baseline_rank_square_sum > 0 and comparison_aggregates.version_rank_square_sum > 0
                then greatest(-1, least(1, comparison_aggregates.rank_cross_sum / sqrt(
                    comparison_aggregates.baseline_rank_square_sum * comparison_aggregates.version_rank_square_sum
                )))
        end as spearman_correlation,
        {{ score_monitoring.safe_divide('comparison_aggregates.agreeing_count', 'comparison_aggregates.decision_known_count') }} as decision_agreement,
        comparison_aggregates.mean_score_change,
        case
            when due_cohorts.score_date is not null
                then coalesce(baseline_aucs.positive_count + baseline_aucs.negative_count, 0)
        end as labelled_entity_count,
        baseline_aucs.auc as baseline_auc,
        version_aucs.auc as version_auc,
        due_cohorts.label_state
    from compared_versions
    left join comparison_aggregates
        on
            compared_versions.score_date = comparison_aggregates.score_date
            and compared_versions.model_name = comparison_aggregates.model_name
            and compared_versions.model_version = comparison_aggregates.model_version
    left join due_cohorts
        on
            compared_versions.score_date = due_cohorts.score_date
            and compared_versions.model_name = due_cohorts.model_name
    left join version_aucs as baseline_aucs
        on
            compared_versions.score_date = baseline_aucs.score_date
            and compared_versions.model_name = baseline_aucs.model_name
            and compared_versions.model_version = baseline_aucs.model_version
            and baseline_aucs.version_role = 'baseline'
    left join version_aucs
        on
            compared_versions.score_date = version_aucs.score_date
            and compared_versions.model_name = version_aucs.model_name
            and compared_versions.model_version = version_aucs.model_version
            and version_aucs.version_role = 'version'

)

select * from final
