{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='subscription_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('subscription_id', subscriptions_batch) }}",
    post_hook="{{ close_batch('subscription_id') }}",
) }}

with

subscriptions as (

    select * from {{ ref('stg_stripe__subscriptions') }}
    where {{ in_batch('subscription_id') }}

),

prices as (

    select * from {{ ref('stg_stripe__prices') }}

),

products as (

    select * from {{ ref('stg_stripe__products') }}

),

{# each customer's current subscription: a live one first, then the newest #}
ranked as (

    select
        subscription_id,
        row_number() over (
            partition by customer_id
            order by
                status in ('active', 'trialing', 'past_due', 'unpaid') desc,
                status in ('paused', 'incomplete') desc,
                created_at desc,
                subscription_id desc
        ) as customer_rank
    from subscriptions

),

final as (

    select
        {# ids #}
        subscriptions.subscription_id,
        subscriptions.customer_id,
        subscriptions.price_id,
        subscriptions.product_id,
        subscriptions.latest_invoice_id,
        subscriptions.discount_id,
        subscriptions.tax_rate_id,
        subscriptions.account_id,

        {# amounts: unit amount × quantity summed over items, minor units of `currency` #}
        subscriptions.amount,
        subscriptions.currency,
        subscriptions.quantity,
        subscriptions.item_count,

        {# descriptive #}
        subscriptions.status,
        products.name as product_name,
        prices.nickname as price_nickname,
        prices.recurring_interval,
        prices.recurring_interval_count,
        subscriptions.collection_method,

        {# booleans #}
        ranked.customer_rank = 1 as is_current,
        subscriptions.is_cancel_at_period_end,
        subscriptions.is_livemode,

        {# timestamps #}
        subscriptions.created_at,
        subscriptions.started_at,
        subscriptions.current_period_start_at,
        subscriptions.current_period_end_at,
        subscriptions.trial_start_at,
        subscriptions.trial_end_at,
        subscriptions.cancel_at,
        subscriptions.canceled_at,
        subscriptions.ended_at

    from subscriptions
    inner join ranked
        on subscriptions.subscription_id = ranked.subscription_id
    left join prices
        on subscriptions.price_id = prices.price_id
    left join products
        on subscriptions.product_id = products.product_id

)

select * from final
