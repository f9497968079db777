with

invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

invoice_payments as (

    select * from {{ ref('stg_stripe__invoice_payments') }}

),

{# today the paying charge is the invoice's paid payment of type charge #}
paying_charge as (

    select
        invoice_id,
        charge_id
    from invoice_payments
    where charge_id is not null
    qualify
        row_number() over (
            partition by invoice_id
            order by (status = 'paid') desc, created_at desc
        ) = 1

),

final as (

    select
        {# ids #}
        invoices.invoice_id,
        invoices.customer_id,
        invoices.subscription_id,
        coalesce(invoices.legacy_charge_id, paying_charge.charge_id) as charge_id,
        invoices.account_id,

        {# amounts, minor units of `currency`: total = subtotal + tax (− discounts);
           amount_remaining = amount_due − amount_paid #}
        invoices.subtotal,
        invoices.tax,
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
