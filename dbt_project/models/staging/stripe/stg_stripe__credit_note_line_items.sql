{#
    Credit note lines: embedded in their note (`lines.data`) and listed from
    /v1/credit_notes/{id}/lines, both landed in the raw table with the note's
    id (`credit_note_id`): a line names no note of its own.
#}
{{ config(unique_key='credit_note_line_item_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'credit_note_line_items'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as credit_note_line_item_id,
        credit_note_id,
        obj.invoice_line_item as invoice_line_item_id,
        account as account_id,

        {# amounts: credited, positive, minor units of the note's currency;
           the line credits amount − discount_amount #}
        obj.amount,
        coalesce(obj.discount_amount, 0) as discount_amount,
        obj.unit_amount,
        obj.quantity,

        {# descriptive #}
        obj.type as line_type,
        obj.description,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps: `created` is the note's #}
        {{ stripe_timestamp('created') }} as credit_note_created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
