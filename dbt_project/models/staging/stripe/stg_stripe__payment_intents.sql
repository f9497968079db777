{{ config(unique_key='payment_intent_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'payment_intents'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as payment_intent_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.latest_charge') }} as latest_charge_id,
        {{ stripe_id('obj.payment_method') }} as payment_method_id,
        account as account_id,

        {# amounts: positive, minor units of `currency` #}
        obj.amount,
        obj.amount_received,
        obj.amount_capturable,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.status,
        obj.capture_method,
        obj.cancellation_reason,
        obj.description,
        obj.last_payment_error.code as last_payment_error_code,
        obj.last_payment_error.decline_code as last_payment_error_decline_code,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.canceled_at') }} as canceled_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
