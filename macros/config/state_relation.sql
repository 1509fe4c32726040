{#
  purpose: the one way to read a previous run's state outside ref(): the relation that an earlier
           run built for one of the package's models, or none when it does not exist yet (a first
           build). Reading a table this run is about to rebuild is not a DAG edge, so it is not a ref().
  args: model_name - a model of the score_monitoring package
  example: {% set previous = score_monitoring.state_relation('score_health_daily') %}
#}
{% macro state_relation(model_name) %}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.score_monitoring.' ~ model_name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("score_monitoring: state_relation() names no model of the package: '" ~ model_name ~ "'") }}
    {%- endif -%}
    {{- return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -}}
{% endmacro %}
