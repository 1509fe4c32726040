{#
  purpose: the bin a value falls in, given collapsed reference edges held in columns
           <edge_prefix>1 .. <edge_prefix>N (NULL where a duplicate edge was collapsed):
           the number of edges <= value, so bin 0 is open below and the last bin open above.
  args: value - numeric SQL expression; edge_prefix - column name prefix; edge_count - N (default 9)
  example: {{ score_monitoring.decile_bin_index('numeric_value', 'edge_', 9) }} as bin_index
#}
{% macro decile_bin_index(value, edge_prefix, edge_count=9) %}
    {%- if edge_count is not number or edge_count < 1 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: decile_bin_index() needs edge_count >= 1, got '" ~ edge_count ~ "'") }}
    {%- endif -%}
    (
        {%- for edge_number in range(1, edge_count + 1) %}
        {{ '+ ' if not loop.first }}case when {{ edge_prefix }}{{ edge_number }} is not null and {{ value }} >= {{ edge_prefix }}{{ edge_number }} then 1 else 0 end
        {%- endfor %}
    )
{%- endmacro %}
