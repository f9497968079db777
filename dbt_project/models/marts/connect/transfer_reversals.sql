{#
    One row per transfer reversal of the platform, with the transfer it
    reverses (its connected account) and the platform's balance transaction
    that took the money back (`transfer_refund`, positive).
#}
with

reversals as (

    select * from {{ ref('stg_stripe__transfer_reversals') }}

),

transfers as (

    select
        transfer_id,
        destination_account_id,
        amount as transfer_amount,
        created_at as transferred_at
    from {{ ref('stg_stripe__transfers') }}

),

balance_transactions as (

    select
        balance_transaction_id,
        amount,
        currency
    from {{ ref('stg_stripe__balance_transactions') }}

),

final as (

    select
        {# ids #}
        reversals.transfer_reversal_id,
        reversals.transfer_id,
        transfers.destination_account_id as connected_account_id,
        reversals.balance_transaction_id,
        reversals.destination_payment_refund_id,
        reversals.account_id,

        {# minor units of `currency` (the transfer's) #}
        reversals.amount,
        transfers.transfer_amount,
        reversals.currency,
        {# minor units of `settlement_currency` #}
        balance_transactions.amount as settlement_amount,
        balance_transactions.currency as settlement_currency,

        {# booleans #}
        reversals.amount = transfers.transfer_amount as is_full_reversal,

        {# timestamps #}
        reversals.created_at,
        transfers.transferred_at,
        {{ stripe_month('epoch(reversals.created_at)') }} as created_month

    from reversals
    left join transfers
        on reversals.transfer_id = transfers.transfer_id
    left join balance_transactions
        on reversals.balance_transaction_id = balance_transactions.balance_transaction_id

)

select * from final
