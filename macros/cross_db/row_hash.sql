{#
  purpose: a 64-bit hash of a row's values, reduced to [0, 2^31) (a sum over a billion rows still
           fits a signed 64-bit integer). NULL hashes as a value of its own. Engines hash
           differently, so compare hashes only with hashes from the same engine.
  args: expressions - list of SQL expressions (any type)
  example: {{ score_monitoring.row_hash(['entity_id', 'label']) }}
#}
{% macro row_hash(expressions) %}
    {%- if expressions is string or expressions | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: row_hash() needs a non-empty list of expressions, got '" ~ expressions ~ "'") }}
    {%- endif -%}
    {{- return(adapter.dispatch('row_hash', 'score_monitoring')(expressions)) -}}
{% endmacro %}

{# No portable 64-bit hash exists: an adapter needs its own variant. #}
{% macro default__row_hash(expressions) %}
    {{ exceptions.raise_compiler_error("score_monitoring: row_hash() has no implementation for adapter '" ~ adapter.type() ~ "'; add a macro " ~ adapter.type() ~ "__row_hash") }}
{% endmacro %}

{% macro duckdb__row_hash(expressions) %}cast(hash({{ expressions | join(', ') }}) % 2147483648 as bigint){% endmacro %}

{# FARM_FINGERPRINT of the values joined by a unit separator, with NULL spelt apart from any string. #}
{% macro bigquery__row_hash(expressions) -%}
mod(mod(farm_fingerprint(concat(
    {%- for expression in expressions -%}
    coalesce(concat('v', cast({{ expression }} as string)), 'n'){{ ", '\\x1f', " if not loop.last }}
    {%- endfor -%}
)), 2147483648) + 2147483648, 2147483648)
{%- endmacro %}
