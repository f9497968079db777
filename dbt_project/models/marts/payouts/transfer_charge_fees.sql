{#
    django-stripe-payments' TransferChargeFee: one row per fee line (`fee_details[]`)
    of each transaction a payout swept.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='balance_transaction_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('balance_transaction_id', transfer_charge_fees_batch) }}",
    post_hook="{{ close_batch('balance_transaction_id') }}",
) }}

with

balance_transactions as (

    select * from {{ ref('balance_transactions') }}
    where {{ in_batch('balance_transaction_id') }}

),

transactions_with_payouts as (

    select * from {{ ref('int_balance_transactions_with_payouts') }}
    where payout_id is not null and {{ in_batch('balance_transaction_id') }}

),

fee_lines as (

    select
        balance_transaction_id,
        unnest(fee_details) as fee,
        generate_subscripts(fee_details, 1) as fee_index
    from transactions_with_payouts

),

final as (

    select
        {# ids #}
        balance_transactions.payout_id,
        fee_lines.balance_transaction_id,
        fee_lines.fee_index,
        balance_transactions.source_id,
        balance_transactions.account_id,

        {# amounts: positive = a fee charged, minor units of `currency` #}
        fee_lines.fee.amount,
        lower(fee_lines.fee.currency) as currency,

        {# descriptive #}
        fee_lines.fee.application,
        fee_lines.fee.description,
        fee_lines.fee.type as fee_type,
        {# the category of the transaction the fee was charged on #}
        balance_transactions.fee_category as kind,

        {# timestamps #}
        balance_transactions.created_at

    from fee_lines
    inner join balance_transactions
        on fee_lines.balance_transaction_id = balance_transactions.balance_transaction_id
    where not balance_transactions.is_payout_own_transaction

)

select * from final
