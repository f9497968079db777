{#
    Incremental marts: delete+insert of a batch of keys, found from a raw
    watermark. State lives in schema `incremental` (never published):

    - `incremental.watermark_<model>`: one row, the raw layer as it was when
      the model was last built: the newest `extracted_at` and `event_created`
      of every `raw_stripe` table and the newest purge. Event snapshots are
      written with the time they arrive as `extracted_at`, so a late event
      (an `event_created` older than the watermark) still has a newer
      `extracted_at`: `changed_since` compares `extracted_at` (purges: `purged_at`).
    - `incremental.batch_<model>`: the keys (re)built by the model's last
      build: the batch of an incremental build, every key after a full one.
      A downstream model reads it to carry those keys into its own batch.

    A model's pre-hook `open_batch(key, batch_sql)` stores the batch (keys
    whose own row changed since the watermark, and keys whose joined rows
    did, through the old rows of `this` and the new staging rows) and deletes
    those keys from `this` before the build, so a key whose rows are gone
    (a deleted object, a fee line fewer) leaves no row; the model selects
    the batch (`in_batch`); delete+insert inserts it. Its post-hook
    `close_batch(key)` records the new watermark. Both run inside the
    model's transaction. `dbt build --full-refresh` rebuilds from scratch.

    The watermark also records the model's SQL checksum: when the model's
    file changed since, the watermark does not count and every key is in the
    batch (a model whose columns changed fails on `on_schema_change` instead:
    rebuild it with `--full-refresh`).
#}

{% macro incremental_schema() -%}
    {{ return('incremental') }}
{%- endmacro %}

{#- Qualified by the target's catalog: on DuckLake the connection's own is the in-memory one.
    (sqlfluff's templater has no `target`.) -#}
{% macro incremental_catalog() -%}
    {{ return(target.database if target is defined else 'warehouse') }}
{%- endmacro %}

{% macro incremental_prefix() -%}
    "{{ incremental_catalog() }}".{{ incremental_schema() }}
{%- endmacro %}

{% macro batch_relation(model_name=none) -%}
    {{ incremental_prefix() }}.batch_{{ model_name or this.identifier }}
{%- endmacro %}

{% macro watermark_relation(model_name=none) -%}
    {{ incremental_prefix() }}.watermark_{{ model_name or this.identifier }}
{%- endmacro %}

{#-
    Whether `incremental.<identifier>` exists (at run time; false while
    parsing). The schema's tables are listed once per rendering (a hook or a
    model's SQL) and kept in `model`, which lives as long as that rendering.
-#}
{% macro incremental_table_exists(identifier) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if '_incremental_tables' not in model -%}
        {%- set found = run_query(
            "select table_name from information_schema.tables where table_schema = '"
            ~ incremental_schema() ~ "' and table_catalog = '" ~ incremental_catalog() ~ "'"
        ) -%}
        {%- do model.update({'_incremental_tables': found.columns[0].values() | list}) -%}
    {%- endif -%}
    {{ return(identifier in model['_incremental_tables']) }}
{%- endmacro %}

{#- The newest extracted_at and event_created of every raw table, and the newest purge. -#}
{% macro raw_watermark_sql() -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set raw_tables = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'stripe' -%}
            {%- do raw_tables.append(node.relation_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set purges = source('purges', 'customer_purges') -%}
    {%- set newest_purge = 'cast(null as timestamptz)' -%}
    {%- if relation_exists(purges) -%}
        {%- set newest_purge = '(select max(purged_at) from ' ~ purges ~ ')' -%}
    {%- endif -%}
    {%- set newest_rows = [] -%}
    {%- for relation in raw_tables -%}
        {%- do newest_rows.append(
            'select max(extracted_at) as extracted_at, max(event_created) as event_created'
            ~ ' from ' ~ relation
        ) -%}
    {%- endfor -%}
    select
        max(extracted_at) as extracted_at,
        max(event_created) as event_created,
        {{ newest_purge }} as purged_at,
        now() as built_at,
        '{{ model.checksum.checksum }}' as model_checksum
    from ({{ newest_rows | join(' union all ') }})
{%- endmacro %}

{#- The model's watermark as SQL literals ({extracted_at, purged_at}), or none. -#}
{% macro watermark() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if '_incremental_watermark' in model -%}
        {{ return(model['_incremental_watermark']) }}
    {%- endif -%}
    {%- do model.update({'_incremental_watermark': none}) -%}
    {%- if not incremental_table_exists('watermark_' ~ this.identifier) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select strftime(extracted_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f'),"
        ~ " strftime(purged_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f'),"
        ~ " columns('^model_checksum$')"
        ~ " from " ~ watermark_relation()
    ) -%}
    {%- if found.rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = found.rows[0] -%}
    {%- if row | length < 3 or row[2] != model.checksum.checksum -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do model.update({'_incremental_watermark': {
        'extracted_at': none if row[0] is none else "timestamptz '" ~ row[0] ~ "+00'",
        'purged_at': none if row[1] is none else "timestamptz '" ~ row[1] ~ "+00'",
    }}) -%}
    {{ return(model['_incremental_watermark']) }}
{%- endmacro %}

{#
    Whether a row changed since the model's watermark: `column` (a staging
    model's `extracted_at`, or `purged_at`) newer than its part of it; true
    for every row when there is no watermark (a first or full build).
#}
{% macro changed_since(column='extracted_at', part='extracted_at') -%}
    {%- set mark = watermark() -%}
    {%- if mark is none -%}
        true
    {%- elif mark[part] is none -%}
        {{ column }} is not null
    {%- else -%}
        {{ column }} > {{ mark[part] }}
    {%- endif -%}
{%- endmacro %}

{#- The keys `model_name` (re)built in this run (all of its keys when it has no batch). -#}
{% macro batch_keys(model_name, key) -%}
    {%- if incremental_table_exists('batch_' ~ model_name) -%}
        select {{ key }} from {{ batch_relation(model_name) }}
    {%- else -%}
        select {{ key }} from {{ ref(model_name) }}
    {%- endif -%}
{%- endmacro %}

{#- `key` is in this build's batch (always, when the build is not incremental). -#}
{% macro in_batch(key, column=none) -%}
    {%- if is_incremental() -%}
        {{ column or key }} in (select {{ key }} from {{ batch_relation() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: store the batch of keys and delete them from `this`. -#}
{% macro open_batch(key, batch_sql) -%}
    {%- if is_incremental() -%}
        create or replace table {{ batch_relation() }} as
        select distinct {{ key }}
        from ({{ batch_sql() }}) as batch
        where {{ key }} is not null;

        delete from {{ this }}
        where {{ key }} in (select {{ key }} from {{ batch_relation() }});
    {%- else -%}
        drop table if exists {{ batch_relation() }};
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: after a full build the batch is every key; then the new watermark. -#}
{% macro close_batch(key) -%}
    create table if not exists {{ batch_relation() }} as
    select distinct {{ key }} from {{ this }} where {{ key }} is not null;

    create or replace table {{ watermark_relation() }} as
    {{ raw_watermark_sql() }};
{%- endmacro %}
