{#
    Stripe's Balance change from activity (`balance_change_from_activity.itemized.3`):
    one row per balance transaction outside the payouts section (everything but
    payouts and payout reversals), with Stripe's column names, enriched with
    the charge, customer, invoice, refund, dispute and connected account it
    concerns. Amounts in minor units (Stripe's CSV shows major units).
#}
with

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

categories as (

    select * from {{ ref('stripe_reporting_categories') }}

),

payouts as (

    select * from {{ ref('transfers') }}

),

charges as (

    select * from {{ ref('charges') }}

),

charge_cards as (

    select * from {{ ref('stg_stripe__charges') }}

),

refunds as (

    select * from {{ ref('refunds') }}

),

disputes as (

    select * from {{ ref('disputes') }}

),

customers as (

    select * from {{ ref('customers') }}

),

invoices as (

    select * from {{ ref('invoices') }}

),

connect_transfers as (

    select * from {{ ref('connect_transfers') }}

),

transfer_reversals as (

    select * from {{ ref('stg_stripe__transfer_reversals') }}

),

application_fees as (

    select * from {{ ref('stg_stripe__application_fees') }}

),

application_fee_refunds as (

    select * from {{ ref('stg_stripe__application_fee_refunds') }}

),

classified as (

    select
        balance_transactions.*,
        coalesce(categories.summary_section, 'activity') as summary_section,
        case
            when categories.reporting_category is null then 'unclassified'
            else balance_transactions.reporting_category
        end as report_category
    from balance_transactions
    left join categories
        on balance_transactions.reporting_category = categories.reporting_category

),

activity as (

    select * from classified
    where summary_section = 'activity'

),

{# the Connect account a transfer, its reversal, or an application fee (refund) concerns #}
connected_accounts as (

    select
        transfer_id as source_id,
        destination_account_id as connected_account_id
    from connect_transfers
    union all
    select
        transfer_reversals.transfer_reversal_id as source_id,
        connect_transfers.destination_account_id as connected_account_id
    from transfer_reversals
    inner join connect_transfers
        on transfer_reversals.transfer_id = connect_transfers.transfer_id
    union all
    select
        application_fee_id as source_id,
        connected_account_id
    from application_fees
    union all
    select
        application_fee_refunds.application_fee_refund_id as source_id,
        application_fees.connected_account_id
    from application_fee_refunds
    inner join application_fees
        on application_fee_refunds.application_fee_id = application_fees.application_fee_id

),

final as (

    select
        {# Stripe's columns, in Stripe's order #}
        activity.balance_transaction_id,
        activity.created_at as created_utc,
        activity.available_at as available_on_utc,
        activity.currency,
        activity.amount as gross,
        activity.fee,
        activity.net,
        activity.report_category as reporting_category,
        activity.source_id,
        activity.description,
        coalesce(refunds.amount, disputes.amount, source_charges.amount)
            as customer_facing_amount,
        coalesce(refunds.currency, disputes.currency, source_charges.currency)
            as customer_facing_currency,
        payouts.payout_id as automatic_payout_id,
        payouts.arrival_at as automatic_payout_effective_at_utc,
        charges.customer_id,
        customers.email as customer_email,
        customers.name as customer_name,
        activity.charge_id,
        charges.payment_intent_id,
        charges.created_at as charge_created_utc,
        charges.invoice_id,
        invoices.subscription_id,
        charges.payment_method_type,
        charges.card_brand,
        charge_cards.card_funding,
        charges.card_country,
        disputes.reason as dispute_reason,
        connected_accounts.connected_account_id,

        {# ours #}
        activity.account_id,
        activity.balance_transaction_type,
        activity.exchange_rate,
        activity.summary_section

    from activity
    left join payouts
        on
            activity.payout_id = payouts.payout_id
            and not payouts.is_manual
    left join charges
        on activity.charge_id = charges.charge_id
    left join charges as source_charges
        on activity.source_id = source_charges.charge_id
    left join charge_cards
        on activity.charge_id = charge_cards.charge_id
    left join refunds
        on activity.source_id = refunds.refund_id
    left join disputes
        on activity.source_id = disputes.dispute_id
    left join customers
        on charges.customer_id = customers.customer_id
    left join invoices
        on charges.invoice_id = invoices.invoice_id
    left join connected_accounts
        on activity.source_id = connected_accounts.source_id

)

select * from final
