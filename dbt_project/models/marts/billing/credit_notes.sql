{# One row per credit note, with what it gave back: refunds and customer balance credit. #}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='credit_note_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('credit_note_id', credit_notes_batch) }}",
    post_hook="{{ close_batch('credit_note_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}
with

credit_notes as (

    select * from {{ ref('stg_stripe__credit_notes') }}
    where {{ in_batch('credit_note_id') }}

),

balance_transactions as (

    select * from {{ ref('stg_stripe__customer_balance_transactions') }}

),

final as (

    select
        {# ids #}
        credit_notes.credit_note_id,
        credit_notes.invoice_id,
        credit_notes.customer_id,
        credit_notes.refund_ids,
        credit_notes.customer_balance_transaction_id,
        credit_notes.account_id,

        {# amounts, positive, minor units of `currency` #}
        credit_notes.amount,
        credit_notes.subtotal,
        credit_notes.total,
        credit_notes.discount_amount,
        credit_notes.pre_payment_amount,
        credit_notes.post_payment_amount,
        credit_notes.refunded_amount,
        {# the balance transaction's credit; a deleted customer's transactions are not
           listed: then what the post-payment amount did not refund or settle out of band #}
        case
            when credit_notes.customer_balance_transaction_id is null then 0
            else coalesce(
                    -balance_transactions.amount,
                    credit_notes.post_payment_amount - credit_notes.refunded_amount
                    - credit_notes.out_of_band_amount
                )
        end as customer_balance_credit_amount,
        credit_notes.out_of_band_amount,
        credit_notes.currency,

        {# descriptive #}
        credit_notes.credit_note_number,
        credit_notes.credit_note_type,
        credit_notes.status,
        credit_notes.reason,
        credit_notes.memo,

        {# booleans #}
        credit_notes.status = 'void' as is_void,

        {# timestamps #}
        credit_notes.created_at,
        credit_notes.effective_at,
        credit_notes.voided_at

    from credit_notes
    left join balance_transactions
        on credit_notes.customer_balance_transaction_id
            = balance_transactions.customer_balance_transaction_id

)

select * from final
