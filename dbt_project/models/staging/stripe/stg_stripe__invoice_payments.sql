{{ config(unique_key='invoice_payment_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'invoice_payments'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as invoice_payment_id,
        {{ stripe_id('obj.invoice') }} as invoice_id,
        {# the charge when the payment is one (`payment.type = 'charge'`) #}
        case
            when obj.payment.type = 'charge' then {{ stripe_id('obj.payment.charge') }}
        end as charge_id,
        {{ stripe_id('obj.payment.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# amounts, minor units of `currency` #}
        obj.amount_paid,
        obj.amount_requested,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.status,
        obj.payment.type as payment_type,

        {# booleans #}
        coalesce(obj.is_default, false) as is_default,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.status_transitions.paid_at') }} as paid_at,
        {{ stripe_timestamp('obj.status_transitions.canceled_at') }} as canceled_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
