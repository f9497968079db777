{#
    Incremental staging (see incremental.sql). A staging model of a raw table
    is a table of the latest row per id, rebuilt for a batch of ids on each
    run: the ids with a raw row extracted since the model's watermark (their
    winner still chosen over all their rows, so a late, older event loses),
    the ids whose payload names a customer purged since then (blanked in
    place, so no newer row marks them), and the ids of `this` gone from raw.

    dbt_project.yml gives the folder `open_staging_batch` and
    `close_staging_batch`; a model states its key (`unique_key`) and, when
    the raw id column is not `id`, `raw_id`, and reads its raw table with
    `latest_per_id(source(...), only=batch_ids())`.
#}

{% macro open_staging_batch() -%}
    {%- if model.config.materialized == 'incremental' -%}
        {%- if model.name == 'stg_stripe__invoice_line_items' and is_incremental() -%}
            {{ store_line_invoices() }};
        {%- endif -%}
        {{ open_batch(model.config.unique_key, staging_batch) }}
    {%- endif -%}
{%- endmacro %}

{% macro close_staging_batch() -%}
    {%- if model.config.materialized == 'incremental' -%}
        {{ close_batch(model.config.unique_key) }}
    {%- endif -%}
{%- endmacro %}

{#- This build's batch of keys as a query, or none on a full build (every id).
    (`model` is always defined in dbt; sqlfluff's templater lacks it.) -#}
{% macro batch_ids() -%}
    {%- if is_incremental() -%}
        {%- set key = model.config.unique_key if model is defined else 'id' -%}
        {{ return('select ' ~ key ~ ' from ' ~ batch_relation()) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- Customers purged since the watermark (none without a watermark: every row is new). -#}
{% macro purged_since_watermark() -%}
    {%- set purges = source('purges', 'customer_purges') -%}
    {%- if watermark() is none or not relation_exists(purges) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query(
        'select distinct customer_id from ' ~ purges
        ~ ' where ' ~ changed_since('purged_at', 'purged_at') ~ ' order by 1'
    ) -%}
    {{ return(found.columns[0].values() | list) }}
{%- endmacro %}

{#- Rows of `relation` changed since the watermark: extracted since, or naming a purged
    customer. -#}
{% macro raw_changed(relation) -%}
    {%- set purged = purged_since_watermark() -%}
    {{ changed_since() }}
    {%- for customer_id in purged %}
        or contains(payload, '"{{ customer_id | replace("'", "''") }}"')
    {%- endfor -%}
{%- endmacro %}

{% macro staging_batch() -%}
    {%- if model.name == 'stg_stripe__invoice_line_items' -%}
        {{ return(invoice_lines_staging_batch()) }}
    {%- endif -%}
    {%- set relation = source(model.sources[0][0], model.sources[0][1]) -%}
    {%- set key = model.config.unique_key -%}
    {%- set id_column = model.config.get('raw_id', 'id') -%}
    select {{ id_column }} as {{ key }} from {{ relation }} where {{ raw_changed(relation) }}
    union all
    {{ vanished_keys(key, 'select ' ~ id_column ~ ' as ' ~ key ~ ' from ' ~ relation) }}
{%- endmacro %}

{#
    Invoice lines come from the lines list and from the invoices' embedded
    `lines.data`. The invoices to read again (`line_invoices`, stored before
    the batch's rows leave `this`): the changed invoices, and the invoices of
    the changed listed lines; the batch: those lines, every line those
    invoices embed or embedded, and the lines gone from both sources.
#}
{% macro line_invoices_relation() -%}
    {{ incremental_prefix() }}.line_invoices_{{ this.identifier }}
{%- endmacro %}

{% macro store_line_invoices() -%}
    {%- set lines = source('stripe', 'invoice_line_items') -%}
    {%- set invoices = source('stripe', 'invoices') -%}
    create or replace table {{ line_invoices_relation() }} as
    with changed_lines as (

        select id, {{ stripe_id('obj.invoice') }} as invoice_id
        from {{ lines }} where {{ raw_changed(lines) }}

    )
    select id as invoice_id from {{ invoices }} where {{ raw_changed(invoices) }}
    union
    select invoice_id from changed_lines where invoice_id is not null
    union
    select built.invoice_id from {{ this }} as built
    where built.invoice_line_item_id in (select id from changed_lines)
        and built.invoice_id is not null
{%- endmacro %}

{% macro line_invoices() -%}
    {%- if is_incremental() -%}
        {{ return('select invoice_id from ' ~ line_invoices_relation()) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro invoice_lines_staging_batch() -%}
    {%- set lines = source('stripe', 'invoice_line_items') -%}
    {%- set invoices = source('stripe', 'invoices') -%}
    select id as invoice_line_item_id from {{ lines }} where {{ raw_changed(lines) }}
    union all
    select unnest(coalesce(obj.lines.data, [])).id from {{ invoices }}
    where id in ({{ line_invoices() }})
    union all
    select invoice_line_item_id from {{ this }} where invoice_id in ({{ line_invoices() }})
    union all
    select built.invoice_line_item_id
    from {{ this }} as built
    anti join {{ lines }} as listed on built.invoice_line_item_id = listed.id
    anti join {{ invoices }} as invoices on built.invoice_id = invoices.id
{%- endmacro %}
