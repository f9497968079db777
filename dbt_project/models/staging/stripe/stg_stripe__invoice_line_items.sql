{#
    Lines come from two places: embedded in each invoice (`lines.data`) and
    listed from /v1/invoices/{id}/lines. Each side keeps its latest row per
    line id; where both hold a line, the later one wins by the raw layer's
    rule, (coalesce(event_created, epoch(extracted_at)), event_id), the
    listed one on a tie. Both sides are typed structs of one type (the
    catalogue's line fields): a full join on the id that carries no payload.
#}
{{ config(unique_key='invoice_line_item_id') }}
with

listed as (

    {{ latest_per_id(source('stripe', 'invoice_line_items'), only=batch_ids()) }}

),

invoices as (

    {{ latest_per_id(source('stripe', 'invoices'), only=line_invoices()) }}

),

{# the invoice's typed lines (`obj.lines.data`, the listed lines' struct type),
   unnested in the select list: no join, no payload carried #}
embedded_lines as (

    select
        id as invoice_id,
        account,
        livemode,
        extracted_at,
        event_created,
        event_id,
        api_version,
        unnest(coalesce(obj.lines.data, [])) as embedded_line
    from invoices

),

embedded as (

    select
        embedded_line.id,
        embedded_line as obj,
        invoice_id,
        account,
        livemode,
        extracted_at,
        event_created,
        event_id,
        api_version
    from embedded_lines

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
            when embedded.id is null then listed.obj
            when listed.id is null then embedded.obj
            when
                (
                    coalesce(listed.event_created, epoch(listed.extracted_at)),
                    coalesce(listed.event_id, '')
                )
                >= (
                    coalesce(embedded.event_created, epoch(embedded.extracted_at)),
                    coalesce(embedded.event_id, '')
                )
                then listed.obj
            else embedded.obj
        end as obj
    from listed
    full outer join embedded
        on listed.id = embedded.id

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
        obj.discount_amounts[1].discount as discount_id,
        obj.taxes[1].tax_rate_details.tax_rate as tax_rate_id,
        account as account_id,

        {# amounts, minor units of `currency`: `amount` before discounts, with any
           inclusive tax; the line's share of the invoice's discounts and taxes #}
        obj.amount,
        coalesce(list_sum([d.amount for d in obj.discount_amounts]), 0) as discount_amount,
        coalesce(
            list_sum([t.amount for t in obj.taxes if t.tax_behavior = 'exclusive']), 0
        ) as exclusive_tax,
        coalesce(
            list_sum([t.amount for t in obj.taxes if t.tax_behavior = 'inclusive']), 0
        ) as inclusive_tax,
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
        coalesce(obj.discountable, true) as is_discountable,
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

    from source

)

select * from renamed
