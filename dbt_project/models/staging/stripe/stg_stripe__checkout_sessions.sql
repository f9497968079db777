{{ config(unique_key='checkout_session_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'checkout_sessions'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as checkout_session_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# amounts: positive, minor units of `currency` #}
        obj.amount_subtotal,
        obj.amount_total,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.mode,
        obj.status,
        obj.payment_status,
        obj.customer_details.email as customer_email,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.expires_at') }} as expires_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
