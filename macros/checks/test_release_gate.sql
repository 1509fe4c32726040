{#
  purpose: generic test behind the release gate: returns the gate rows with the given status and
           logs each one (model, check, subject, value, message) so the build output names them.
           Attach it twice: status 'fail' with severity error, status 'warn' with severity warn.
  args: model - the gate relation; status - 'fail' or 'warn'
  example: data_tests: [{score_monitoring.release_gate: {status: fail, config: {severity: error}}}]
#}
{% test release_gate(model, status) %}
    {%- if status not in ['warn', 'fail'] -%}
        {{ exceptions.raise_compiler_error("score_monitoring: release_gate status must be 'warn' or 'fail', got '" ~ status ~ "'") }}
    {%- endif -%}
    {%- if execute and adapter.get_relation(database=model.database, schema=model.schema, identifier=model.identifier) is not none -%}
        {%- set breaches = run_query("select model_name, check_name, subject, metric_value, message, score_date from " ~ model ~ " where status = '" ~ status ~ "' order by model_name, check_name, subject") -%}
        {%- for row in breaches.rows -%}
            {%- do log("release gate " ~ status | upper ~ " " ~ row[5] ~ " model=" ~ row[0] ~ " check=" ~ row[1] ~ (" subject=" ~ row[2] if row[2] is not none else "") ~ " value=" ~ row[3] ~ " :: " ~ row[4], info=true) -%}
        {%- endfor -%}
    {%- endif -%}

    select
        score_date,
        model_name,
        check_name,
        subject,
        metric_value,
        message
    from {{ model }}
    where status = '{{ status }}'
{% endtest %}
