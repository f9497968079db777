{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='subscription_item_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('subscription_item_id', subscription_items_batch) }}",
    post_hook="{{ close_batch('subscription_item_id') }}",
) }}

with

items as (

    select * from {{ ref('stg_stripe__subscription_items') }}
    where {{ in_batch('subscription_item_id') }}

),

subscriptions as (

    select * from {{ ref('subscriptions') }}

),

products as (

    select * from {{ ref('stg_stripe__products') }}

),

final as (

    select
        {# ids #}
        items.subscription_item_id,
        items.subscription_id,
        subscriptions.customer_id,
        items.price_id,
        items.product_id,
        items.discount_id,
        items.account_id,

        {# amounts: per billing interval, minor units of `currency` #}
        items.unit_amount,
        items.quantity,
        items.unit_amount * items.quantity as amount,
        items.currency,

        {# descriptive #}
        subscriptions.status as subscription_status,
        products.name as product_name,
        items.recurring_interval,

        {# booleans #}
        items.is_livemode,

        {# timestamps #}
        items.created_at,
        items.current_period_start_at,
        items.current_period_end_at,
        subscriptions.canceled_at as subscription_canceled_at,
        subscriptions.ended_at as subscription_ended_at

    from items
    left join subscriptions
        on items.subscription_id = subscriptions.subscription_id
    left join products
        on items.product_id = products.product_id

)

select * from final
