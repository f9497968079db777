{{ config(unique_key='refund_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'refunds'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as refund_id,
        {{ stripe_id('obj.charge') }} as charge_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# amounts: refunded, positive, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.status,
        obj.reason,
        obj.failure_reason,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
