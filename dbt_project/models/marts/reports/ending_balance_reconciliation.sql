{#
    Stripe's Ending balance reconciliation (`ending_balance_reconciliation.itemized.4`)
    at every UTC month end: the balance transactions still in the balance,
    created before the month ended and not swept by an automatic payout
    whose own transaction was created before then.
#}
with

periods as (

    select * from {{ ref('int_report_periods') }}

),

transactions as (

    select * from {{ ref('balance_transactions') }}

),

categories as (

    select * from {{ ref('stripe_reporting_categories') }}

),

{# customer, charge and card details of activity transactions, Stripe's names #}
itemized_activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

month_ends as (

    select
        account_id,
        currency,
        period_start,
        period_end
    from periods
    where period_grain = 'month'

),

dated as (

    select
        *,
        {{ stripe_date('epoch(created_at)') }} as created_date
    from transactions

),

{# when each automatic payout left the balance: its own transaction's creation #}
payout_departures as (

    select
        source_id as payout_id,
        created_date as payout_created_date
    from dated
    where is_payout_own_transaction

),

final as (

    select
        {# period #}
        month_ends.period_start,
        month_ends.period_end,

        {# Stripe's itemized columns #}
        dated.balance_transaction_id,
        dated.created_at as created_utc,
        dated.available_at as available_on_utc,
        dated.currency,
        dated.amount as gross,
        dated.fee,
        dated.net,
        coalesce(categories.reporting_category, 'unclassified') as reporting_category,
        dated.source_id,
        dated.description,
        itemized_activity.customer_facing_amount,
        itemized_activity.customer_facing_currency,
        itemized_activity.customer_id,
        itemized_activity.customer_email,
        itemized_activity.customer_name,
        itemized_activity.charge_id,
        itemized_activity.payment_intent_id,
        itemized_activity.charge_created_utc,
        itemized_activity.invoice_id,
        itemized_activity.subscription_id,
        itemized_activity.payment_method_type,
        itemized_activity.card_brand,
        itemized_activity.card_funding,
        itemized_activity.card_country,
        itemized_activity.dispute_reason,
        itemized_activity.connected_account_id,

        {# ours #}
        dated.account_id,
        dated.balance_transaction_type,
        coalesce(categories.summary_section, 'activity') as summary_section,
        dated.payout_id as automatic_payout_id

    from month_ends
    inner join dated
        on
            month_ends.account_id is not distinct from dated.account_id
            and month_ends.currency = dated.currency
            and month_ends.period_end > dated.created_date
    left join payout_departures
        on dated.payout_id = payout_departures.payout_id
    left join categories
        on dated.reporting_category = categories.reporting_category
    left join itemized_activity
        on dated.balance_transaction_id = itemized_activity.balance_transaction_id
    where not coalesce(payout_departures.payout_created_date < month_ends.period_end, false)

)

select * from final
