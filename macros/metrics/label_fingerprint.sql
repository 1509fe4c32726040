{#
  purpose: an aggregate fingerprint of a cohort's label rows, from the labels alone: the row count
           and two order-free combinations of row_hash(entity, label) (their sum and their bit-wise
           XOR), as one string. Any added, removed or changed label row changes it (up to hash
           collisions), so a daily run compares it with the stored one to find the cohorts whose
           labels changed without reading their scores.
  args: entity_column - the entity id column; label_column - the label column
  example: select score_date, model_name, {{ score_monitoring.label_fingerprint('entity_id', 'label') }} as label_fingerprint
           from stg_labels group by score_date, model_name
#}
{% macro label_fingerprint(entity_column, label_column) %}
    {%- set string_type = dbt.type_string() -%}
    {%- set row_hash = score_monitoring.row_hash([entity_column, label_column]) -%}
    concat(
        cast(count(*) as {{ string_type }}), ':',
        cast(sum({{ row_hash }}) as {{ string_type }}), ':',
        cast(bit_xor({{ row_hash }}) as {{ string_type }})
    )
{%- endmacro %}
