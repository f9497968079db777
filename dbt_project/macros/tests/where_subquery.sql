{#
    The rows a generic data test checks (dbt's `get_where_subquery`,
    overridden). On an incremental run, a test of an incremental model checks
    only the model's batch, the rows this run (re)built (see incremental.sql):
    every other row was checked when it was built and has not changed since.
    `dbt build --full-refresh` checks every row. A test's own `where` config
    applies as well. Singular tests (tests/*.sql) always read whole models.
#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set batch = tested_batch(relation) -%}
    {%- if batch -%}
        {%- do conditions.append(batch) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- `key in (this run's batch)` for an incremental model's relation, else none. -#}
{% macro tested_batch(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or relation.identifier is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias == relation.identifier
            and node.schema == relation.schema
            and node.config.materialized == 'incremental'
            and node.config.unique_key is string
            and incremental_table_exists('batch_' ~ node.alias) -%}
            {%- set key = node.config.unique_key -%}
            {{ return(key ~ ' in (select ' ~ key ~ ' from ' ~ batch_relation(node.alias) ~ ')') }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
