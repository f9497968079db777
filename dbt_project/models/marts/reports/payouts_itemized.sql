{#
    Stripe's Payouts report (`payouts.itemized.3`): one row per payout, its
    own balance transaction (gross, fee, net: negative, money leaving the
    balance) and its status history from the `payout.*` events. Manual payouts
    are rows too, flagged `is_reconcilable = false`: Stripe cannot itemize
    what they swept.
#}
with

payouts as (

    select * from {{ ref('transfers') }}

),

payout_details as (

    select * from {{ ref('stg_stripe__payouts') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

events as (

    select * from {{ ref('stg_stripe__events') }}

),

{# the event types that mark a status; `payout.updated` says nothing of which field changed #}
status_events as (

    select
        object_id as payout_id,
        case event_type
            when 'payout.created' then 'pending'
            when 'payout.paid' then 'paid'
            when 'payout.failed' then 'failed'
            when 'payout.canceled' then 'canceled'
        end as status,
        created_at as status_at,
        event_id
    from events
    where event_type in ('payout.created', 'payout.paid', 'payout.failed', 'payout.canceled')

),

status_history as (

    select
        payout_id,
        min(status_at) filter (where status = 'pending') as created_at,
        min(status_at) filter (where status = 'paid') as paid_at,
        min(status_at) filter (where status = 'failed') as failed_at,
        min(status_at) filter (where status = 'canceled') as canceled_at,
        list({ 'status': status, 'at': status_at } order by status_at, event_id) as status_history
    from status_events
    group by payout_id

),

final as (

    select
        {# Stripe's columns #}
        payouts.payout_id,
        case
            when payouts.is_manual then payouts.created_at
            else payouts.arrival_at
        end as effective_at_utc,
        payouts.currency,
        balance_transactions.amount as gross,
        balance_transactions.fee,
        balance_transactions.net,
        balance_transactions.reporting_category,
        payouts.balance_transaction_id,
        balance_transactions.description,
        payouts.arrival_date as payout_expected_arrival_date,
        payouts.status as payout_status,
        payouts.payout_type,
        payouts.description as payout_description,
        payout_details.destination_id as payout_destination_id,

        {# ours #}
        payouts.amount as payout_amount,
        payouts.method as payout_method,
        payouts.failure_code as payout_failure_code,
        not payouts.is_manual as is_automatic,
        not payouts.is_manual as is_reconcilable,
        payouts.account_id,

        {# status history from the `payout.*` events, UTC #}
        status_history.created_at,
        cast(null as timestamptz) as in_transit_at,
        status_history.paid_at,
        status_history.failed_at,
        status_history.canceled_at,
        coalesce(
            status_history.status_history,
            cast([] as struct(status varchar, "at" timestamptz)[])
        ) as status_history,
        payouts.created_at as payout_created_utc

    from payouts
    left join payout_details
        on payouts.payout_id = payout_details.payout_id
    left join balance_transactions
        on payouts.balance_transaction_id = balance_transactions.balance_transaction_id
    left join status_history
        on payouts.payout_id = status_history.payout_id

)

select * from final
