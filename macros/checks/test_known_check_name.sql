{#
  purpose: generic test that every check a thresholds row names is a check of check_registry(), so
           a misspelt name cannot silently leave a check off: one row per unknown name.
  args: model - the thresholds relation (given by dbt); column_name - its check name column
  example: columns: [{name: check_name, data_tests: [score_monitoring.known_check_name]}]
#}
{% test known_check_name(model, column_name) %}
    {%- set names = score_monitoring.check_registry(applicable_only=false) | map(attribute='name') | list -%}

    select distinct {{ column_name }} as unknown_check_name
    from {{ model }}
    where {{ column_name }} not in ('{{ names | join("', '") }}')
{% endtest %}
