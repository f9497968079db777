{#
    One row per top-up of the platform's balance, with the balance
    transactions that moved its money: the `topup` one (funds added) and,
    for a top-up the bank returned, the `topup_reversal` that took them back.
#}
with

topups as (

    select * from {{ ref('stg_stripe__topups') }}

),

balance_transactions as (

    select
        source_id,
        balance_transaction_type,
        amount,
        currency,
        status
    from {{ ref('stg_stripe__balance_transactions') }}
    where balance_transaction_type in ('topup', 'topup_reversal')

),

moved as (

    select
        source_id as topup_id,
        {{ sum_minor_units('amount', "balance_transaction_type = 'topup'") }} as amount_added,
        {{ sum_minor_units('-amount', "balance_transaction_type = 'topup_reversal'") }}
            as amount_reversed,
        bool_or(balance_transaction_type = 'topup' and status = 'available') as is_available
    from balance_transactions
    group by source_id

),

final as (

    select
        {# ids #}
        topups.topup_id,
        topups.balance_transaction_id,
        topups.account_id,

        {# minor units of `currency` #}
        topups.amount,
        topups.currency,
        coalesce(moved.amount_added, 0) as amount_added,
        coalesce(moved.amount_reversed, 0) as amount_reversed,
        coalesce(moved.amount_added, 0) - coalesce(moved.amount_reversed, 0) as net_amount,

        {# descriptive #}
        topups.status,
        topups.failure_code,
        topups.description,

        {# booleans #}
        coalesce(moved.is_available, false) as is_available,

        {# timestamps #}
        topups.created_at,
        topups.expected_available_at,
        {{ stripe_month('epoch(topups.created_at)') }} as created_month

    from topups
    left join moved
        on topups.topup_id = moved.topup_id

)

select * from final
