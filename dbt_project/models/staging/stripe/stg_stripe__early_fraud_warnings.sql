{{ config(unique_key='early_fraud_warning_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'early_fraud_warnings'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as early_fraud_warning_id,
        {{ stripe_id('obj.charge') }} as charge_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# descriptive #}
        obj.fraud_type,

        {# booleans: actionable = the charge can still be refunded or disputed #}
        coalesce(obj.actionable, false) as is_actionable,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
