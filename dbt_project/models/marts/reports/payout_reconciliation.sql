{#
    Stripe's Payout reconciliation (`payout_reconciliation.itemized.5`): one row
    per balance transaction an automatic payout swept (never the payout's own
    transaction), so each paid automatic payout's rows net to its amount.
    Activity rows carry the itemized columns of balance_change_from_activity;
    a payout reversal swept into a later payout (the funds of a failed or
    canceled payout, paid out again) has no customer, charge or card.
    Manual payouts have no rows: Stripe cannot itemize them either.
#}
with

activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

categories as (

    select * from {{ ref('stripe_reporting_categories') }}

),

payouts as (

    select * from {{ ref('transfers') }}

),

payout_section as (

    select
        balance_transactions.balance_transaction_id,
        balance_transactions.created_at as created_utc,
        balance_transactions.available_at as available_on_utc,
        balance_transactions.currency,
        balance_transactions.amount as gross,
        balance_transactions.fee,
        balance_transactions.net,
        balance_transactions.reporting_category,
        balance_transactions.source_id,
        balance_transactions.description,
        cast(null as bigint) as customer_facing_amount,
        cast(null as varchar) as customer_facing_currency,
        payouts.payout_id as automatic_payout_id,
        payouts.arrival_at as automatic_payout_effective_at_utc,
        cast(null as varchar) as customer_id,
        cast(null as varchar) as customer_email,
        cast(null as varchar) as customer_name,
        cast(null as varchar) as charge_id,
        cast(null as varchar) as payment_intent_id,
        cast(null as timestamptz) as charge_created_utc,
        cast(null as varchar) as invoice_id,
        cast(null as varchar) as subscription_id,
        cast(null as varchar) as payment_method_type,
        cast(null as varchar) as card_brand,
        cast(null as varchar) as card_funding,
        cast(null as varchar) as card_country,
        cast(null as varchar) as dispute_reason,
        cast(null as varchar) as connected_account_id,
        balance_transactions.account_id,
        balance_transactions.balance_transaction_type,
        balance_transactions.exchange_rate,
        categories.summary_section
    from balance_transactions
    inner join categories
        on balance_transactions.reporting_category = categories.reporting_category
    inner join payouts
        on
            balance_transactions.payout_id = payouts.payout_id
            and not payouts.is_manual
    where
        categories.summary_section = 'payouts'
        and not balance_transactions.is_payout_own_transaction

),

swept as (

    select * from activity
    where automatic_payout_id is not null
    union all by name
    select * from payout_section

),

final as (

    select
        swept.automatic_payout_id,
        swept.automatic_payout_effective_at_utc,
        swept.balance_transaction_id,
        swept.created_utc,
        swept.available_on_utc,
        swept.currency,
        swept.gross,
        swept.fee,
        swept.net,
        swept.reporting_category,
        swept.source_id,
        swept.description,
        swept.customer_facing_amount,
        swept.customer_facing_currency,
        swept.customer_id,
        swept.customer_email,
        swept.customer_name,
        swept.charge_id,
        swept.payment_intent_id,
        swept.charge_created_utc,
        swept.invoice_id,
        swept.subscription_id,
        swept.payment_method_type,
        swept.card_brand,
        swept.card_funding,
        swept.card_country,
        swept.dispute_reason,
        swept.connected_account_id,
        swept.account_id,
        swept.balance_transaction_type,
        swept.exchange_rate,
        swept.summary_section,
        payouts.status as automatic_payout_status
    from swept
    inner join payouts
        on swept.automatic_payout_id = payouts.payout_id

)

select * from final
