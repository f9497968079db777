{#
    The platform's application fees by UTC month, fee currency and settlement
    currency: fees counted in the month they were taken, fee refunds in the
    month they were made. Amounts in `currency` (the charge's, as the fee
    states them); settled amounts in `settlement_currency` (the currency of
    the platform's balance transactions, converted at their exchange rate
    when the platform does not settle the fee's currency).
#}
with

fees as (

    select * from {{ ref('stg_stripe__application_fees') }}
    where account_id is null

),

fee_refunds as (

    select * from {{ ref('stg_stripe__application_fee_refunds') }}
    where account_id is null

),

balance_transactions as (

    select
        balance_transaction_id,
        amount,
        currency
    from {{ ref('stg_stripe__balance_transactions') }}
    where account_id is null

),

fee_rows as (

    select
        {{ stripe_month('epoch(fees.created_at)') }} as month,
        fees.currency,
        balance_transactions.currency as settlement_currency,
        1 as fee_count,
        0 as refund_count,
        fees.amount,
        0 as refunded,
        balance_transactions.amount as settled_amount,
        0 as settled_refunded
    from fees
    left join balance_transactions
        on fees.balance_transaction_id = balance_transactions.balance_transaction_id

),

refund_rows as (

    select
        {{ stripe_month('epoch(fee_refunds.created_at)') }} as month,
        fee_refunds.currency,
        balance_transactions.currency as settlement_currency,
        0 as fee_count,
        1 as refund_count,
        0 as amount,
        fee_refunds.amount as refunded,
        0 as settled_amount,
        {# the refund's transaction is negative: money back out of the platform #}
        -balance_transactions.amount as settled_refunded
    from fee_refunds
    left join balance_transactions
        on fee_refunds.balance_transaction_id = balance_transactions.balance_transaction_id

),

final as (

    select
        month,
        currency,
        settlement_currency,

        sum(fee_count) as fee_count,
        sum(refund_count) as fee_refund_count,
        {# minor units of `currency` #}
        {{ sum_minor_units('amount') }} as total_amount,
        {{ sum_minor_units('refunded') }} as total_refunded,
        {{ sum_minor_units('amount - refunded') }} as total_net,
        {# minor units of `settlement_currency` #}
        {{ sum_minor_units('settled_amount') }} as total_settled_amount,
        {{ sum_minor_units('settled_refunded') }} as total_settled_refunded,
        {{ sum_minor_units('settled_amount - settled_refunded') }} as total_settled_net

    from (
        select * from fee_rows
        union all
        select * from refund_rows
    ) as fee_activity
    group by month, currency, settlement_currency

)

select * from final
