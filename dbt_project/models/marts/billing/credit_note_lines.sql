{# One row per credit note line, with its note's invoice, customer, currency and status. #}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='credit_note_line_item_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('credit_note_line_item_id', credit_note_lines_batch) }}",
    post_hook="{{ close_batch('credit_note_line_item_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}
with

lines as (

    select * from {{ ref('stg_stripe__credit_note_line_items') }}
    where {{ in_batch('credit_note_line_item_id') }}

),

credit_notes as (

    select * from {{ ref('stg_stripe__credit_notes') }}

),

final as (

    select
        {# ids #}
        lines.credit_note_line_item_id,
        lines.credit_note_id,
        credit_notes.invoice_id,
        lines.invoice_line_item_id,
        credit_notes.customer_id,
        lines.account_id,

        {# amounts, positive, minor units of `currency` (the note's) #}
        lines.amount,
        lines.discount_amount,
        lines.amount - lines.discount_amount as credited_amount,
        lines.unit_amount,
        lines.quantity,
        credit_notes.currency,

        {# descriptive #}
        lines.line_type,
        lines.description,
        credit_notes.credit_note_type,
        credit_notes.status as credit_note_status,

        {# timestamps #}
        credit_notes.created_at as credit_note_created_at

    from lines
    left join credit_notes
        on lines.credit_note_id = credit_notes.credit_note_id

)

select * from final
