{#
    Lines come from two places: embedded in each invoice (`lines.data`) and
    listed from /v1/invoices/{id}/lines. Each side keeps its latest row per
    line id; where both hold a line, the later one wins by the raw layer's
    rule, (coalesce(event_created, epoch(extracted_at)), event_id), the
    listed one on a tie. A full join on the id, so no payload is ever sorted.
#}
with

listed as (

    {{ latest_per_id(source('stripe', 'invoice_line_items')) }}

),

invoices as (

    {{ latest_per_id(source('stripe', 'invoices')) }}

),

embedded as (

    select
        json_extract_string(embedded_line.line_payload, '$.id') as id,
        cast(embedded_line.line_payload as varchar) as payload,
        invoices.id as invoice_id,
        invoices.account,
        invoices.livemode,
        invoices.extracted_at,
        invoices.event_created,
        invoices.event_id,
        invoices.api_version
    from invoices,
        unnest(coalesce(json_extract(invoices.payload, '$.lines.data[*]'), []))
            as embedded_line (line_payload)

),

source as (

    select
        coalesce(listed.id, embedded.id) as id,
        {# a listed line of an older API version names no invoice: its embedding one does #}
        embedded.invoice_id as embedding_invoice_id,
        coalesce(listed.account, embedded.account) as account,
        coalesce(listed.livemode, embedded.livemode) as livemode,
        coalesce(listed.is_deleted, false) as is_deleted,
        coalesce(listed.extracted_at, embedded.extracted_at) as extracted_at,
        coalesce(listed.api_version, embedded.api_version) as api_version,
        case
            when embedded.id is null then listed.payload
            when listed.id is null then embedded.payload
            when
                (
                    coalesce(listed.event_created, epoch(listed.extracted_at)),
                    coalesce(listed.event_id, '')
                )
                >= (
                    coalesce(embedded.event_created, epoch(embedded.extracted_at)),
                    coalesce(embedded.event_id, '')
                )
                then listed.payload
            else embedded.payload
        end as payload
    from listed
    full outer join embedded
        on listed.id = embedded.id

),

parsed as (

    select
        *,
        {{ parse_payload({
            'amount': 'bigint',
            'currency': 'varchar',
            'description': 'varchar',
            'invoice': 'varchar',
            'invoice_item': 'varchar',
            'livemode': 'boolean',
            'parent': {
                'type': 'varchar',
                'invoice_item_details': {
                    'invoice_item': 'varchar',
                    'proration': 'boolean',
                    'subscription': 'varchar',
                },
                'subscription_item_details': {
                    'invoice_item': 'varchar',
                    'proration': 'boolean',
                    'subscription': 'varchar',
                    'subscription_item': 'varchar',
                },
            },
            'period': {'start': 'bigint', 'end': 'bigint'},
            'plan': {'id': 'varchar', 'product': 'varchar'},
            'price': {'id': 'varchar', 'product': 'varchar'},
            'pricing': {'price_details': {'price': 'varchar', 'product': 'varchar'}},
            'proration': 'boolean',
            'quantity': 'bigint',
            'subscription': 'varchar',
            'subscription_item': 'varchar',
            'type': 'varchar',
        }) }} as obj
    from source

),

renamed as (

    select
        {# ids #}
        id as invoice_line_item_id,
        coalesce({{ stripe_id('obj.invoice') }}, embedding_invoice_id) as invoice_id,
        {{ stripe_id(
            'coalesce(obj.parent.subscription_item_details.subscription, '
            ~ 'obj.parent.invoice_item_details.subscription, obj.subscription)'
        ) }} as subscription_id,
        coalesce(
            obj.parent.subscription_item_details.subscription_item,
            obj.subscription_item
        ) as subscription_item_id,
        coalesce(
            obj.parent.invoice_item_details.invoice_item,
            obj.parent.subscription_item_details.invoice_item,
            obj.invoice_item
        ) as invoiceitem_id,
        coalesce(obj.pricing.price_details.price, obj.price.id, obj.plan.id) as price_id,
        {{ stripe_id(
            'coalesce(obj.pricing.price_details.product, obj.price.product, obj.plan.product)'
        ) }} as product_id,
        account as account_id,

        {# amounts, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,
        obj.quantity,

        {# descriptive: `type` in older versions, `parent.type` today #}
        coalesce(
            obj.type,
            case obj.parent.type
                when 'subscription_item_details' then 'subscription'
                when 'invoice_item_details' then 'invoiceitem'
            end
        ) as line_type,
        obj.description,

        {# booleans #}
        coalesce(
            obj.parent.subscription_item_details.proration,
            obj.parent.invoice_item_details.proration,
            obj.proration,
            false
        ) as is_proration,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('obj.period.start') }} as period_start_at,
        {{ stripe_timestamp('obj.period.end') }} as period_end_at,
        extracted_at,
        api_version

    from parsed

)

select * from renamed
