{#
  purpose: dbt-bigquery's dynamic insert_overwrite script, with a work-around for the local BigQuery
           emulator only (target bigquery_emulator). Every other target, and real BigQuery above all,
           gets dbt-bigquery's own implementation unchanged (called through the `dbt` namespace).
           bqemulator 1.4.0 has two bugs that break the adapter's script:
             - it rewrites `array_agg(distinct x ignore nulls)` into invalid SQL, so the nulls are
               filtered in a subquery and the aggregate is a plain `array_agg(distinct x)`;
             - `set (v) = (select as struct ...)` with one target stores the struct instead of
               unpacking it, so the single variable is set with `set v = (select array_agg(...))`.
           Both forms are also valid BigQuery; the statement order and the merge are the adapter's.
  args: as dbt-bigquery's bq_dynamic_insert_overwrite_sql (this root-project macro overrides it)
  example: called by dbt-bigquery's insert_overwrite strategy; never called directly
#}
{% macro bq_dynamic_insert_overwrite_sql(tmp_relation, target_relation, sql, unique_key, partition_by, dest_columns, tmp_relation_exists, copy_partitions) %}
  {%- if target.name != 'bigquery_emulator' or copy_partitions is true or partition_by.time_ingestion_partitioning -%}
    {{- dbt.bq_dynamic_insert_overwrite_sql(tmp_relation, target_relation, sql, unique_key, partition_by, dest_columns, tmp_relation_exists, copy_partitions) -}}
  {%- else -%}
      {%- set predicate -%}
          {{ partition_by.render_wrapped(alias='DBT_INTERNAL_DEST') }} in unnest(dbt_partitions_for_replacement)
      {%- endset -%}
      {%- set source_sql -%}
      (
        select * from {{ tmp_relation }}
      )
      {%- endset -%}

      -- generated script to merge partitions into {{ target_relation }} (bigquery_emulator work-around)
      declare dbt_partitions_for_replacement array<{{ partition_by.data_type_for_partition() }}>;

      {% if not tmp_relation_exists %}
       -- 1. create a temp table with model data
        {{ bq_create_table_as(partition_by, True, tmp_relation, sql, 'sql') }}
      {% else %}
        -- 1. temp table already exists, we used it to check for schema changes
      {% endif %}

      -- 2. define partitions to update (nulls filtered first, one variable set without a struct)
      set dbt_partitions_for_replacement = (
          select array_agg(distinct dbt_partition_value)
          from (
              select {{ partition_by.render_wrapped() }} as dbt_partition_value
              from {{ tmp_relation }}
          ) as dbt_partition_values
          where dbt_partition_value is not null
      );

      -- 3. run the merge statement
      {{ get_insert_overwrite_merge_sql(target_relation, source_sql, dest_columns, [predicate]) }};

      -- 4. clean up the temp table
      drop table if exists {{ tmp_relation }}
  {%- endif -%}
{% endmacro %}
