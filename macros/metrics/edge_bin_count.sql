{#
  purpose: the number of bins collapsed decile edges make: 1 + the non-NULL edges among
           <edge_prefix>1 .. <edge_prefix>N (decile_bin_index() bins on the same columns).
  args: edge_prefix - column name prefix of the edges; edge_count - N (default 9)
  example: select {{ score_monitoring.edge_bin_count('edge_') }} as bin_count from reference_edges
#}
{% macro edge_bin_count(edge_prefix, edge_count=9) %}
    (1
        {%- for edge_number in range(1, edge_count + 1) %}
        + case when {{ edge_prefix }}{{ edge_number }} is not null then 1 else 0 end
        {%- endfor %}
    )
{%- endmacro %}
