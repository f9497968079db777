{{ config(unique_key='application_fee_refund_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'application_fee_refunds'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as application_fee_refund_id,
        {{ stripe_id('obj.fee') }} as application_fee_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        account as account_id,

        {# amounts: refunded, positive, minor units of `currency` (the fee's) #}
        obj.amount,
        lower(obj.currency) as currency,

        {# booleans #}
        coalesce(livemode, false) as is_livemode,
        is_deleted,

        {# timestamps: the refund's own (the raw `created` is its fee's) #}
        {{ stripe_timestamp('obj.created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
