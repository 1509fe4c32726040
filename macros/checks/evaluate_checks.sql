{#
  purpose: a query that gives each check metric its thresholds (a named model beats '*', a named
           subject beats an empty one; metrics without a threshold row are dropped), its
           threshold_status (check_status()) and its status: a pass where noise_note says the
           metric is within sampling noise, a warn for a fail where cap_note says the check is
           capped (a model version change), else the threshold_status.
  args: check_metrics - relation / CTE with score_date, model_name, check_family, check_name,
        subject, metric_value, unavailable_reason, noise_note, cap_note; thresholds - relation / CTE shaped like the
        monitoring_thresholds seed
  example: evaluated_checks as ({{ score_monitoring.evaluate_checks('check_metrics', 'thresholds') }})
#}
{% macro evaluate_checks(check_metrics, thresholds) %}
    {%- if not check_metrics or not thresholds -%}
        {{ exceptions.raise_compiler_error("score_monitoring: evaluate_checks() needs the check_metrics and thresholds relations") }}
    {%- endif -%}
    with matched_thresholds as (
        select
            check_metrics.score_date,
            check_metrics.model_name,
            check_metrics.check_family,
            check_metrics.check_name,
            check_metrics.subject,
            check_metrics.metric_value,
            check_metrics.unavailable_reason,
            check_metrics.noise_note,
            check_metrics.cap_note,
            thresholds.direction,
            thresholds.warn_threshold,
            thresholds.fail_threshold,
            row_number() over (
                partition by check_metrics.score_date, check_metrics.model_name, check_metrics.check_name, check_metrics.subject
                order by
                    case when thresholds.model_name = '*' then 1 else 0 end,
                    case when thresholds.subject is null then 1 else 0 end
            ) as threshold_priority
        from {{ check_metrics }} as check_metrics
        inner join {{ thresholds }} as thresholds
            on
                check_metrics.check_name = thresholds.check_name
                and (check_metrics.model_name = thresholds.model_name or thresholds.model_name = '*')
                and (check_metrics.subject = thresholds.subject or thresholds.subject is null)
    ),

    threshold_statuses as (
        select
            *,
            {{ score_monitoring.check_status('metric_value', 'direction', 'warn_threshold', 'fail_threshold') }} as threshold_status
        from matched_thresholds
        where threshold_priority = 1
    )

    select
        score_date,
        model_name,
        check_family,
        check_name,
        subject,
        metric_value,
        unavailable_reason,
        noise_note,
        cap_note,
        direction,
        warn_threshold,
        fail_threshold,
        threshold_status,
        {#- A drift breach within sampling noise is no breach (drift_noise()); a version change caps at warn. #}
        case
            when noise_note is not null and metric_value is not null then 'pass'
            when cap_note is not null and threshold_status = 'fail' then 'warn'
            else threshold_status
        end as status
    from threshold_statuses
{%- endmacro %}
