{{ config(materialized='view') }}
{#- The values that drift is measured on, unpivoted once into long form: the score (valid scores
    only) and every configured feature, for the current day and for its reference window, with the
    row's segment columns by name (for segment drift). The reference keeps only the versions
    scored today when int_version_windows says so (version-aware references). A view,
    so the engine streams it into the edge, bin and KS aggregates instead of storing it. Both
    sides read scores in a constant score_date range (partition pruning): the current side from
    scan_start_date('current') to the monitoring date; the reference side exactly the dates the
    reference windows of this run span (min reference_start .. max reference_end, looked up in
    int_monitoring_windows, built before this view), or, before that table exists (a compile
    without a build), from scan_start_date('reference'). -#}
{%- set monitoring_date = score_monitoring.monitoring_date() -%}
{%- set current_start = score_monitoring.scan_start_date('current') -%}
{%- set reference_start = score_monitoring.scan_start_date('reference') -%}
{#- A fixed reference window (of any model) may end after the monitoring date. -#}
{%- set reference_ends = [monitoring_date] -%}
{%- for scope, settings in score_monitoring.monitored_model_settings().items() if settings.drift_reference_mode == 'fixed' -%}
    {%- do reference_ends.append(settings.drift_reference_end | string) -%}
{%- endfor -%}
{%- set reference_end = reference_ends | max -%}
{%- set windows_relation = load_relation(ref('int_monitoring_windows')) if execute else none -%}
{%- if windows_relation is not none -%}
    {%- set reference_span = run_query('select min(reference_start), max(reference_end) from ' ~ windows_relation).rows[0] -%}
    {%- if reference_span[0] is not none -%}
        {%- set reference_start = (reference_span[0] | string)[:10] -%}
        {%- set reference_end = (reference_span[1] | string)[:10] -%}
    {%- endif -%}
{%- endif -%}
{%- set numeric_features = score_monitoring.monitored_columns('numeric_features').keys() | list -%}
{%- set categorical_features = score_monitoring.monitored_columns('categorical_features').keys() | list -%}
{%- set segment_columns = score_monitoring.monitored_columns('segment_columns').keys() | list -%}
{%- set value_columns = ['valid_score'] + numeric_features + categorical_features -%}
{%- for column in segment_columns if column not in value_columns -%}
    {%- do value_columns.append(column) -%}
{%- endfor -%}

with windows as (

    select * from {{ ref('int_monitoring_windows') }}

),

staged_scores as (

    select * from {{ ref('stg_scores') }}

),

version_windows as (

    select * from {{ ref('int_version_windows') }}

),

current_versions as (

    select distinct
        score_date,
        model_name,
        model_version
    from staged_scores
    where {{ score_monitoring.score_date_scan_filter('score_date', current_start, monitoring_date) }}

),

current_rows as (

    select
        windows.score_date,
        windows.model_name,
        'current' as side
        {%- for column in value_columns %},
        staged_scores.{{ column }}
        {%- endfor %}
    from windows
    inner join staged_scores
        on
            windows.model_name = staged_scores.model_name
            and windows.score_date = staged_scores.score_date
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', current_start, monitoring_date) }}

),

reference_rows as (

    select
        windows.score_date,
        windows.model_name,
        'reference' as side
        {%- for column in value_columns %},
        staged_scores.{{ column }}
        {%- endfor %}
    from windows
    inner join staged_scores
        on
            windows.model_name = staged_scores.model_name
            and staged_scores.score_date between windows.reference_start and windows.reference_end
    inner join version_windows
        on
            windows.score_date = version_windows.score_date
            and windows.model_name = version_windows.model_name
    left join current_versions
        on
            windows.score_date = current_versions.score_date
            and windows.model_name = current_versions.model_name
            and staged_scores.model_version = current_versions.model_version
    where
        {{ score_monitoring.score_date_scan_filter('staged_scores.score_date', reference_start, reference_end) }}
        {#- A model in drift_reference_mode 'profile' takes its reference side from int_reference_profile. #}
        and {{ score_monitoring.setting_sql('drift_reference_mode', 'windows.model_name') }} <> 'profile'
        {#- The new version's own rows, once the window has them (int_version_windows). #}
        and (not version_windows.uses_own_version_reference or current_versions.model_version is not null)

),

compared_rows as (

    select * from current_rows
    union all
    select * from reference_rows

),

monitored_features as (

    {{ score_monitoring.drift_features() }}

),

unpivoted_values as (

    select
        compared_rows.score_date,
        compared_rows.model_name,
        compared_rows.side,
        monitored_features.feature_name,
        monitored_features.feature_type,
        case monitored_features.feature_name
            when 'score' then compared_rows.valid_score
            {%- for feature in numeric_features %}
            when '{{ feature }}' then {{ score_monitoring.finite_or_null('compared_rows.' ~ feature) }}
            {%- endfor %}
        end as numeric_value,
        {%- if categorical_features %}
        case monitored_features.feature_name
            {%- for feature in categorical_features %}
            when '{{ feature }}' then compared_rows.{{ feature }}
            {%- endfor %}
        end as category_value
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as category_value
        {%- endif %}
        {%- for column in segment_columns %},
        compared_rows.{{ column }}
        {%- endfor %}
    from compared_rows
    inner join monitored_features
        on monitored_features.model_scope = {{ score_monitoring.model_scope_key('compared_rows.model_name') }}

)

select * from unpivoted_values
