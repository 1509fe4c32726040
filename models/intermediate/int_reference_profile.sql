{#- One row per bin of every drift subject of a model in drift_reference_mode 'profile': the
    profile's bins (stg_reference_profile) for the subjects the model monitors, with the
    subject's reference totals (values in the bins, plus the missing values of the optional bin
    -1) and, for numeric subjects, the reference minimum and maximum (bin 0's lower edge and the
    last bin's upper edge). A profile that breaks the format stops compilation with a message
    naming the model, the subject and the rule (README, "Reference profiles"). -#}
{%- set is_profiled = score_monitoring.setting_sql('drift_reference_mode', 'profile_rows.model_name') ~ " = 'profile'" -%}
{%- set profile_bins -%}
    select
        profile_rows.model_name,
        profile_rows.feature_name,
        monitored_features.feature_type,
        profile_rows.bin_index,
        profile_rows.lower_edge,
        profile_rows.upper_edge,
        profile_rows.category_value,
        profile_rows.reference_count
    from {{ ref('stg_reference_profile') }} as profile_rows
    inner join ({{ score_monitoring.drift_features() }}) as monitored_features
        on
            monitored_features.model_scope = {{ score_monitoring.model_scope_key('profile_rows.model_name') }}
            and monitored_features.feature_name = profile_rows.feature_name
    where {{ is_profiled }}
{%- endset -%}
{#- Checked once stg_reference_profile exists: a build makes it first; a compile before any build skips the check. -#}
{%- if execute and score_monitoring.reference_profile_enabled() and load_relation(ref('stg_reference_profile')) is not none -%}
    {%- set problems = run_query(score_monitoring.reference_profile_problems(profile_bins)) -%}
    {%- if problems.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in problems.rows[:5] -%}
            {%- do lines.append("model " ~ row[0] ~ ", subject " ~ row[1] ~ ": " ~ row[2]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("score_monitoring: the reference profile input breaks its format (README, \"Reference profiles\"): " ~ lines | join('; ')) }}
    {%- endif -%}
{%- endif %}

with profile_bins as (

    {{ profile_bins }}

),

subject_totals as (

    select
        model_name,
        feature_name,
        cast(coalesce(sum(case when bin_index >= 0 then reference_count end), 0) as {{ dbt.type_bigint() }}) as reference_value_count,
        cast(coalesce(sum(reference_count), 0) as {{ dbt.type_bigint() }}) as reference_total_count,
        min(case when bin_index = 0 then lower_edge end) as reference_min,
        max(case when bin_index >= 0 then upper_edge end) as reference_max
    from profile_bins
    group by model_name, feature_name

),

final as (

    select
        profile_bins.model_name,
        profile_bins.feature_name,
        profile_bins.feature_type,
        profile_bins.bin_index,
        profile_bins.lower_edge,
        profile_bins.upper_edge,
        profile_bins.category_value,
        profile_bins.reference_count,
        subject_totals.reference_value_count,
        subject_totals.reference_total_count,
        subject_totals.reference_min,
        subject_totals.reference_max
    from profile_bins
    inner join subject_totals
        on
            profile_bins.model_name = subject_totals.model_name
            and profile_bins.feature_name = subject_totals.feature_name
    {#- Bin -1 holds only the missing values, counted in reference_total_count. #}
    where profile_bins.bin_index >= 0

)

select * from final
