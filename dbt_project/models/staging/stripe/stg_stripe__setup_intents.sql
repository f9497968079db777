{{ config(unique_key='setup_intent_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'setup_intents'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as setup_intent_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.payment_method') }} as payment_method_id,
        {{ stripe_id('obj.mandate') }} as mandate_id,
        account as account_id,

        {# descriptive #}
        obj.status,
        obj.usage,
        obj.payment_method_types[1] as payment_method_type,
        obj.cancellation_reason,
        obj.last_setup_error.code as last_setup_error_code,

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
