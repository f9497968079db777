{# One row per customer balance transaction, with the invoice its credit note credited. #}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_balance_transaction_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('customer_balance_transaction_id', customer_balance_transactions_batch) }}",
    post_hook="{{ close_batch('customer_balance_transaction_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}
with

balance_transactions as (

    select * from {{ ref('stg_stripe__customer_balance_transactions') }}
    where {{ in_batch('customer_balance_transaction_id') }}

),

credit_notes as (

    select * from {{ ref('stg_stripe__credit_notes') }}

),

final as (

    select
        {# ids #}
        balance_transactions.customer_balance_transaction_id,
        balance_transactions.customer_id,
        balance_transactions.credit_note_id,
        coalesce(balance_transactions.invoice_id, credit_notes.invoice_id) as invoice_id,
        balance_transactions.account_id,

        {# amounts, minor units of `currency` (the customer's): negative = credit #}
        balance_transactions.amount,
        balance_transactions.ending_balance,
        balance_transactions.currency,

        {# descriptive #}
        balance_transactions.transaction_type,
        balance_transactions.description,

        {# booleans #}
        balance_transactions.amount < 0 as is_credit,

        {# timestamps #}
        balance_transactions.created_at

    from balance_transactions
    left join credit_notes
        on balance_transactions.credit_note_id = credit_notes.credit_note_id

)

select * from final
