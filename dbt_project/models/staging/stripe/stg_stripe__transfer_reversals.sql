{{ config(unique_key='transfer_reversal_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'transfer_reversals'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as transfer_reversal_id,
        {{ stripe_id('obj.transfer') }} as transfer_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.destination_payment_refund') }} as destination_payment_refund_id,
        {{ stripe_id('obj.source_refund') }} as source_refund_id,
        account as account_id,

        {# amounts: reversed, positive, minor units of `currency` (the transfer's) #}
        obj.amount,
        lower(obj.currency) as currency,

        {# booleans #}
        coalesce(livemode, false) as is_livemode,
        is_deleted,

        {# timestamps: the reversal's own (the raw `created` is its transfer's) #}
        {{ stripe_timestamp('obj.created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
