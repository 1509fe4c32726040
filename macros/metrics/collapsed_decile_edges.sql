{#
  purpose: select items turning raw deciles into bin edges with duplicates collapsed: edge k is
           NULL when it equals edge k - 1 (deciles are sorted, so duplicates are neighbours).
           decile_bin_index() then counts only the distinct edges.
  args: decile_prefix - columns <decile_prefix>1 .. 9 (default 'decile_'); edge_prefix - output prefix (default 'edge_')
  example: select {{ score_monitoring.collapsed_decile_edges() }} from reference_deciles
#}
{% macro collapsed_decile_edges(decile_prefix='decile_', edge_prefix='edge_') %}
    {{ decile_prefix }}1 as {{ edge_prefix }}1,
    {%- for decile in range(2, 10) %}
    case when {{ decile_prefix }}{{ decile }} > {{ decile_prefix }}{{ decile - 1 }} then {{ decile_prefix }}{{ decile }} end as {{ edge_prefix }}{{ decile }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
