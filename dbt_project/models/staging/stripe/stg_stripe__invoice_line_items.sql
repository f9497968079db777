{#
    Lines come from two places: embedded in each invoice (`lines.data`) and
    listed from /v1/invoices/{id}/lines when an invoice has more. Both are
    unioned, then the latest row per line id wins by the raw layer's rule.
#}
with

listed as (

    select
        id,
        payload,
        cast(null as varchar) as embedding_invoice_id,
        account,
        livemode,
        is_deleted,
        extracted_at,
        event_created,
        event_id,
        api_version
    from {{ source('stripe', 'invoice_line_items') }}

),

invoices as (

    {{ latest_per_id(source('stripe', 'invoices')) }}

),

embedded as (

    select
        json_extract_string(embedded_line.line_payload, '$.id') as id,
        cast(embedded_line.line_payload as varchar) as payload,
        invoices.id as embedding_invoice_id,
        invoices.account,
        invoices.livemode,
        false as is_deleted,
        invoices.extracted_at,
        invoices.event_created,
        invoices.event_id,
        invoices.api_version
    from invoices,
        unnest(
            coalesce({{ parse_payload({'lines': {'data': ['json']}}) }}.lines.data, [])
        ) as embedded_line (line_payload)

),

unioned as (

    {# a listed line of an older API version names no invoice: take its embedding one #}
    select
        *
        replace (max(embedding_invoice_id) over (partition by id) as embedding_invoice_id)
    from (
        select * from listed
        union all by name
        select * from embedded
    ) as all_lines

),

source as (

    {{ latest_per_id('unioned', by_rowid=false) }}

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
