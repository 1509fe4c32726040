{#
  purpose: the score_health_daily metrics as aggregate select items over staged score rows
           (one pass per group): volume, duplicates, versions, invalid scores, distribution,
           decision and review counts and rates, scoring errors. A scoring error is counted in
           error_count, never as a NULL or out-of-bounds score. The quantiles (score and latency)
           are queries of their own (group_quantiles), exact on BigQuery without an array of the group.
  args: has_review_flag - whether the input has a review_flag column (review metrics NULL otherwise);
        has_error_flag - whether it has an error_flag column (error_count and error_rate NULL otherwise)
  example: select score_date, model_name, {{ score_monitoring.score_health_aggregates(true, false) }}
           from stg_scores group by score_date, model_name
#}
{% macro score_health_aggregates(has_review_flag, has_error_flag) %}
    {%- set double_type = score_monitoring.type_double() -%}
    count(*) as row_count,
    count(distinct entity_id) as entity_count,
    count(*) - count(distinct entity_id) as duplicate_rows,
    count(distinct model_version) as model_version_count,
    {{ score_monitoring.count_where("score is null and not is_scoring_error") }} as null_score_count,
    {{ score_monitoring.count_where("score is not null and not is_valid_score and not is_scoring_error") }} as out_of_bounds_count,
    {%- if has_error_flag %}
    {{ score_monitoring.count_where("is_scoring_error") }} as error_count,
    {{ score_monitoring.safe_divide(score_monitoring.count_where('is_scoring_error'), 'count(*)') }} as error_rate,
    {%- else %}
    cast(null as {{ dbt.type_bigint() }}) as error_count,
    cast(null as {{ double_type }}) as error_rate,
    {%- endif %}
    count(valid_score) as valid_score_count,
    avg(valid_score) as score_mean,
    stddev_samp(valid_score) as score_stddev,
    min(valid_score) as score_min,
    max(valid_score) as score_max,
    {{ score_monitoring.count_where("decision") }} as decision_count,
    {{ score_monitoring.safe_divide(score_monitoring.count_where('decision'), 'count(decision)') }} as decision_rate,
    {%- if has_review_flag %}
    {{ score_monitoring.count_where("review_flag") }} as review_count,
    {{ score_monitoring.safe_divide(score_monitoring.count_where('review_flag'), 'count(review_flag)') }} as review_rate
    {%- else %}
    cast(null as {{ dbt.type_bigint() }}) as review_count,
    cast(null as {{ double_type }}) as review_rate
    {%- endif %}
{% endmacro %}
