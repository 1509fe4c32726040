{#
  purpose: a query giving the due label cohorts (due_date <= the monitoring date) a label mart (re)computes this run. A full build
           takes every due cohort. An incremental run takes every due cohort of each score date on
           which some due cohort is new to the mart or has a label_state different from the stored
           one (late or corrected labels, bad label rows), however old the date. Whole dates are
           taken because BigQuery's insert_overwrite replaces whole score_date partitions.
  args: cohorts - relation or CTE shaped like int_label_cohorts; skip_unlabelled - true for marts
        that store no row for a cohort without labelled rows (its absence is not news)
  example: cohorts_to_process as ({{ score_monitoring.label_cohorts_to_process('label_cohorts') }})
#}
{% macro label_cohorts_to_process(cohorts, skip_unlabelled=false) %}
    {%- if not cohorts -%}
        {{ exceptions.raise_compiler_error("score_monitoring: label_cohorts_to_process() needs the cohorts relation (shaped like int_label_cohorts)") }}
    {%- endif -%}
    {%- if skip_unlabelled is not boolean -%}
        {{ exceptions.raise_compiler_error("score_monitoring: label_cohorts_to_process() skip_unlabelled must be true or false, got '" ~ skip_unlabelled ~ "'") }}
    {%- endif -%}
    {%- set is_due = 'due_date <= ' ~ score_monitoring.date_literal(score_monitoring.monitoring_date()) %}
    select *
    from {{ cohorts }}
    where
        {{ is_due }}
        {%- if is_incremental() %}
        and score_date in (
            select changed_cohorts.score_date
            from {{ cohorts }} as changed_cohorts
            left join (select distinct score_date, model_name, label_state from {{ this }}) as stored_cohorts
                on
                    changed_cohorts.score_date = stored_cohorts.score_date
                    and changed_cohorts.model_name = stored_cohorts.model_name
            where
                changed_cohorts.{{ is_due }}
                and (stored_cohorts.label_state is null or stored_cohorts.label_state <> changed_cohorts.label_state)
                {%- if skip_unlabelled %}
                and (stored_cohorts.label_state is not null or changed_cohorts.labelled_count > 0)
                {%- endif %}
        )
        {%- endif %}
{%- endmacro %}
