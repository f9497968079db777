{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='refund_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('refund_id', refunds_batch) }}",
    post_hook="{{ close_batch('refund_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}

with

refunds as (

    select * from {{ ref('stg_stripe__refunds') }}
    where {{ in_batch('refund_id') }}

),

charges as (

    select
        charge_id,
        customer_id,
        amount as charge_amount
    from {{ ref('stg_stripe__charges') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

final as (

    select
        {# ids #}
        refunds.refund_id,
        refunds.charge_id,
        refunds.payment_intent_id,
        charges.customer_id,
        refunds.balance_transaction_id,
        refunds.account_id,

        {# the refund's own amount: positive, minor units of `currency` (the charge's) #}
        refunds.amount,
        refunds.currency,
        charges.charge_amount,

        {# what it moved, from its balance transaction, minor units of
           `settlement_currency`, Stripe's signs: money out is negative
           (null while it has no balance transaction) #}
        balance_transactions.amount as settlement_amount,
        balance_transactions.fee as settlement_fee,
        balance_transactions.net as settlement_net,
        balance_transactions.currency as settlement_currency,
        balance_transactions.exchange_rate,

        {# descriptive #}
        refunds.status,
        refunds.reason,
        refunds.failure_reason,
        balance_transactions.payout_id,

        {# booleans #}
        refunds.is_livemode,

        {# timestamps #}
        refunds.created_at,
        {{ stripe_month('epoch(refunds.created_at)') }} as created_month

    from refunds
    left join charges
        on refunds.charge_id = charges.charge_id
    left join balance_transactions
        on refunds.balance_transaction_id = balance_transactions.balance_transaction_id

)

select * from final
