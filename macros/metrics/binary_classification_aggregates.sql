{#
  purpose: the label metrics of a group of labelled rows as aggregate select items, in one pass:
           labelled_count, positive_count, negative_count, base_rate, mean_score, bias, brier,
           log_loss (p clipped to [1e-15, 1 - 1e-15], then 1 - p), the confusion counts of the
           decision (rows with a NULL decision are left out of them) and precision, recall, f1,
           accuracy (NULL when undefined: no predicted positive, no positive label, ...).
  args: score - SQL expression of the valid score; label - of the 0/1 label; decision - of the
        boolean decision
  example: select score_date, model_name, {{ score_monitoring.binary_classification_aggregates('score', 'label', 'decision') }}
           from int_label_matches where is_used group by score_date, model_name
#}
{% macro binary_classification_aggregates(score, label, decision) %}
    {%- for name, value in [('score', score), ('label', label), ('decision', decision)] -%}
        {%- if value is not string or value | length == 0 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: binary_classification_aggregates() needs " ~ name ~ " as a SQL expression string, got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set double_type = score_monitoring.type_double() -%}
    {%- set clipped = 'least(greatest(' ~ score ~ ', 1e-15), 1 - 1e-15)' -%}
    {%- set true_positives = score_monitoring.count_where(decision ~ ' and ' ~ label ~ ' = 1') -%}
    {%- set false_positives = score_monitoring.count_where(decision ~ ' and ' ~ label ~ ' = 0') -%}
    {%- set false_negatives = score_monitoring.count_where('not ' ~ decision ~ ' and ' ~ label ~ ' = 1') -%}
    {%- set true_negatives = score_monitoring.count_where('not ' ~ decision ~ ' and ' ~ label ~ ' = 0') -%}
    count(*) as labelled_count,
    {{ score_monitoring.count_where(label ~ ' = 1') }} as positive_count,
    {{ score_monitoring.count_where(label ~ ' = 0') }} as negative_count,
    avg(cast({{ label }} as {{ double_type }})) as base_rate,
    avg({{ score }}) as mean_score,
    avg({{ score }}) - avg(cast({{ label }} as {{ double_type }})) as bias,
    avg(({{ score }} - {{ label }}) * ({{ score }} - {{ label }})) as brier,
    -avg(case when {{ label }} = 1 then ln({{ clipped }}) else ln(1 - {{ clipped }}) end) as log_loss,
    count({{ decision }}) as decision_known_count,
    {{ true_positives }} as true_positive_count,
    {{ false_positives }} as false_positive_count,
    {{ false_negatives }} as false_negative_count,
    {{ true_negatives }} as true_negative_count,
    {{ score_monitoring.confusion_rates(true_positives, false_positives, false_negatives, true_negatives) }}
{%- endmacro %}
