{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='charge_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('charge_id', charges_batch) }}",
    post_hook="{{ close_batch('charge_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}

with

charges as (

    select * from {{ ref('stg_stripe__charges') }}
    where {{ in_batch('charge_id') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

invoices as (

    select * from {{ ref('invoices') }}

),

{# the invoice a charge paid: the invoice's `charge` in older API versions,
   its paid invoice payment of type charge today (see the `invoices` mart) #}
invoice_by_charge as (

    select
        charge_id,
        invoice_id
    from invoices
    where charge_id is not null
    qualify row_number() over (partition by charge_id order by created_at desc) = 1

),

final as (

    select
        {# ids #}
        charges.charge_id,
        charges.customer_id,
        coalesce(charges.invoice_id, invoice_by_charge.invoice_id) as invoice_id,
        charges.balance_transaction_id,
        charges.payment_intent_id,
        charges.account_id,

        {# amounts, minor units of `currency` (the charge's): amount, captured and
           refunded are positive #}
        charges.amount,
        charges.amount_captured,
        charges.amount_refunded,
        charges.currency,
        charges.presentment_amount,
        charges.presentment_currency,

        {# settlement, minor units of `settlement_currency`, from the charge's balance
           transaction (null when it has none, e.g. failed or uncaptured):
           settlement_amount = amount × exchange_rate when converted (exchange_rate
           null when not), fee positive = paid to Stripe, net = settlement_amount − fee #}
        balance_transactions.amount as settlement_amount,
        balance_transactions.fee,
        balance_transactions.net,
        balance_transactions.currency as settlement_currency,
        balance_transactions.exchange_rate,

        {# descriptive #}
        charges.status,
        charges.failure_code,
        charges.failure_message,
        charges.description,
        charges.payment_method_type,
        charges.card_brand,
        charges.card_last4,
        charges.card_fingerprint,
        charges.card_exp_month,
        charges.card_exp_year,
        charges.card_country,

        {# booleans #}
        charges.is_paid,
        charges.is_captured,
        charges.is_refunded,
        charges.is_disputed,
        charges.is_livemode,

        {# timestamps #}
        charges.created_at,
        {{ stripe_month('epoch(charges.created_at)') }} as created_month

    from charges
    left join balance_transactions
        on charges.balance_transaction_id = balance_transactions.balance_transaction_id
    left join invoice_by_charge
        on charges.charge_id = invoice_by_charge.charge_id

)

select * from final
