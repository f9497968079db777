{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='invoice_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('invoice_id', invoices_batch) }}",
    post_hook="{{ close_batch('invoice_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}

with

invoices as (

    select * from {{ ref('stg_stripe__invoices') }}
    where {{ in_batch('invoice_id') }}

),

invoice_payments as (

    select * from {{ ref('stg_stripe__invoice_payments') }}
    where {{ in_batch('invoice_id') }}

),

{# a PaymentIntent's charge that succeeded (its failed attempts are charges too) #}
intent_charges as (

    select
        charge_id,
        payment_intent_id,
        account_id
    from {{ ref('stg_stripe__charges') }}
    where status = 'succeeded' and payment_intent_id is not null
    qualify
        row_number() over (
            partition by account_id, payment_intent_id
            order by created_at desc, charge_id desc
        ) = 1

),

{# today the paying charge is the invoice's paid payment: of type charge, or of
   type payment_intent (the usual one), whose succeeded charge paid it #}
paying_charge as (

    select
        invoice_payments.invoice_id,
        coalesce(invoice_payments.charge_id, intent_charges.charge_id) as charge_id
    from invoice_payments
    left join intent_charges
        on
            invoice_payments.payment_intent_id = intent_charges.payment_intent_id
            and invoice_payments.account_id is not distinct from intent_charges.account_id
    where coalesce(invoice_payments.charge_id, intent_charges.charge_id) is not null
    qualify
        row_number() over (
            partition by invoice_payments.invoice_id
            order by
                (invoice_payments.status = 'paid') desc,
                invoice_payments.created_at desc
        ) = 1

),

final as (

    select
        {# ids #}
        invoices.invoice_id,
        invoices.customer_id,
        invoices.subscription_id,
        coalesce(invoices.legacy_charge_id, paying_charge.charge_id) as charge_id,
        invoices.discount_id,
        invoices.tax_rate_id,
        invoices.account_id,

        {# amounts, minor units of `currency`: total = subtotal − discount_amount
           + exclusive_tax; amount_remaining = amount_due − amount_paid #}
        invoices.subtotal,
        invoices.subtotal_excluding_tax,
        invoices.discount_amount,
        invoices.tax,
        invoices.exclusive_tax,
        invoices.inclusive_tax,
        invoices.total_excluding_tax,
        invoices.total,
        invoices.amount_due,
        invoices.amount_paid,
        invoices.amount_remaining,
        invoices.currency,

        {# descriptive #}
        invoices.invoice_number,
        invoices.status,
        invoices.billing_reason,
        invoices.collection_method,
        invoices.attempt_count,

        {# booleans #}
        invoices.is_attempted,
        invoices.is_paid,
        invoices.is_livemode,

        {# timestamps #}
        invoices.created_at,
        invoices.period_start_at,
        invoices.period_end_at,
        invoices.due_at,
        invoices.finalized_at,
        invoices.paid_at,
        invoices.voided_at

    from invoices
    left join paying_charge
        on invoices.invoice_id = paying_charge.invoice_id

)

select * from final
