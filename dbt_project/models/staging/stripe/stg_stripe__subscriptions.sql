{{ config(unique_key='subscription_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'subscriptions'), only=batch_ids()) }}

),

items as (

    {# one struct per item, today's `price` or an older version's `plan`, beside
       the row (no join back to it: the raw row is never hashed) #}
    select
        *,
        [
            {
                'subscription_item_id': item.id,
                'price_id': coalesce(item.price.id, item.plan.id),
                'product_id': {{ stripe_id('coalesce(item.price.product, item.plan.product)') }},
                'unit_amount': coalesce(item.price.unit_amount, item.plan.amount),
                'currency': lower(coalesce(item.price.currency, item.plan.currency)),
                'recurring_interval': coalesce(
                    item.price.recurring.interval, item.plan.interval
                ),
                'recurring_interval_count': coalesce(
                    item.price.recurring.interval_count, item.plan.interval_count, 1
                ),
                'quantity': coalesce(item.quantity, 1),
                'current_period_start': item.current_period_start,
                'current_period_end': item.current_period_end
            }
            for item in coalesce(obj.items.data, [])
        ] as subscription_items
    from source

),

renamed as (

    select
        {# ids #}
        items.id as subscription_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.latest_invoice') }} as latest_invoice_id,
        items.subscription_items[1].price_id as price_id,
        items.subscription_items[1].product_id as product_id,
        obj.discounts[1] as discount_id,
        obj.default_tax_rates[1].id as tax_rate_id,
        items.account as account_id,

        {# amounts: the recurring amount of all items, minor units of `currency` #}
        list_sum([i.unit_amount * i.quantity for i in items.subscription_items]) as amount,
        lower(coalesce(obj.currency, items.subscription_items[1].currency)) as currency,
        list_sum([i.quantity for i in items.subscription_items]) as quantity,
        len(items.subscription_items) as item_count,
        items.subscription_items,

        {# descriptive #}
        obj.status,
        obj.collection_method,

        {# booleans #}
        coalesce(obj.cancel_at_period_end, false) as is_cancel_at_period_end,
        coalesce(obj.livemode, items.livemode) as is_livemode,
        items.is_deleted,

        {# timestamps; periods sit on items today, at top level in older versions #}
        {{ stripe_timestamp('items.created') }} as created_at,
        {{ stripe_timestamp('obj.start_date') }} as started_at,
        {{ stripe_timestamp(
            'coalesce(obj.current_period_start, '
            ~ 'list_min([i.current_period_start for i in items.subscription_items]))'
        ) }} as current_period_start_at,
        {{ stripe_timestamp(
            'coalesce(obj.current_period_end, '
            ~ 'list_max([i.current_period_end for i in items.subscription_items]))'
        ) }} as current_period_end_at,
        {{ stripe_timestamp('obj.trial_start') }} as trial_start_at,
        {{ stripe_timestamp('obj.trial_end') }} as trial_end_at,
        {{ stripe_timestamp('obj.cancel_at') }} as cancel_at,
        {{ stripe_timestamp('obj.canceled_at') }} as canceled_at,
        {{ stripe_timestamp('obj.ended_at') }} as ended_at,
        items.extracted_at,
        items.api_version

    from items

)

select * from renamed
