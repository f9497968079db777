{{ config(unique_key='credit_note_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'credit_notes'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as credit_note_id,
        {{ stripe_id('obj.invoice') }} as invoice_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.customer_balance_transaction') }} as customer_balance_transaction_id,
        list_transform(
            coalesce(obj.refunds, []), lambda r: {{ stripe_id('r.refund') }}
        ) as refund_ids,
        account as account_id,

        {# amounts: credited, positive, minor units of `currency`;
           amount = pre_payment_amount + post_payment_amount #}
        obj.amount,
        obj.subtotal,
        obj.total,
        obj.discount_amount,
        obj.pre_payment_amount,
        obj.post_payment_amount,
        coalesce(
            list_sum(list_transform(coalesce(obj.refunds, []), lambda r: r.amount_refunded)), 0
        ) as refunded_amount,
        coalesce(obj.out_of_band_amount, 0) as out_of_band_amount,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.number as credit_note_number,
        obj.type as credit_note_type,
        obj.status,
        obj.reason,
        obj.memo,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.effective_at') }} as effective_at,
        {{ stripe_timestamp('obj.voided_at') }} as voided_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
