{#
    Items as listed with their subscription (its embedded `items.data`, or
    /v1/subscription_items?subscription= when it has more). Event snapshots
    update the subscription, not this table: the `subscription_items` mart
    takes the subscription's status from `subscriptions`.
#}
{{ config(unique_key='subscription_item_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'subscription_items'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as subscription_item_id,
        {{ stripe_id('obj.subscription') }} as subscription_id,
        coalesce(obj.price.id, obj.plan.id) as price_id,
        {{ stripe_id('coalesce(obj.price.product, obj.plan.product)') }} as product_id,
        obj.discounts[1] as discount_id,
        account as account_id,

        {# amounts: unit amount in minor units of `currency`, per billing interval #}
        coalesce(obj.price.unit_amount, obj.plan.amount) as unit_amount,
        lower(coalesce(obj.price.currency, obj.plan.currency)) as currency,
        coalesce(obj.quantity, 1) as quantity,

        {# descriptive #}
        coalesce(obj.price.recurring.interval, obj.plan.interval) as recurring_interval,

        {# booleans #}
        livemode as is_livemode,  {# the item has no `livemode`: its row's #}
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('coalesce(obj.created, created)') }} as created_at,
        {{ stripe_timestamp('obj.current_period_start') }} as current_period_start_at,
        {{ stripe_timestamp('obj.current_period_end') }} as current_period_end_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
