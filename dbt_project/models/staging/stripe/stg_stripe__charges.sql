{{ config(unique_key='charge_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'charges'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as charge_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        {# older API versions name the invoice on the charge #}
        {{ stripe_id('obj.invoice') }} as invoice_id,
        account as account_id,

        {# amounts, minor units of `currency`, the currency the charge was made in
           (its settlement currency is its balance transaction's); with Adaptive
           Pricing the customer saw `presentment_details` instead #}
        obj.amount,
        obj.amount_captured,
        obj.amount_refunded,
        obj.application_fee_amount,
        lower(obj.currency) as currency,
        coalesce(obj.presentment_details.presentment_amount, obj.amount) as presentment_amount,
        lower(coalesce(obj.presentment_details.presentment_currency, obj.currency))
            as presentment_currency,

        {# descriptive #}
        obj.status,
        obj.description,
        obj.failure_code,
        obj.failure_message,
        obj.outcome.type as outcome_type,
        obj.outcome.risk_level as outcome_risk_level,
        obj.payment_method_details.type as payment_method_type,
        {# cards: payment_method_details today, `source` in older versions #}
        lower(coalesce(
            obj.payment_method_details.card.brand,
            obj.source.brand
        )) as card_brand,
        coalesce(
            obj.payment_method_details.card.last4,
            obj.source.last4
        ) as card_last4,
        coalesce(
            obj.payment_method_details.card.fingerprint,
            obj.source.fingerprint
        ) as card_fingerprint,
        coalesce(
            obj.payment_method_details.card.exp_month,
            obj.source.exp_month
        ) as card_exp_month,
        coalesce(
            obj.payment_method_details.card.exp_year,
            obj.source.exp_year
        ) as card_exp_year,
        obj.payment_method_details.card.country as card_country,
        obj.payment_method_details.card.funding as card_funding,

        {# booleans #}
        coalesce(obj.paid, false) as is_paid,
        coalesce(obj.captured, false) as is_captured,
        coalesce(obj.refunded, false) as is_refunded,
        coalesce(obj.disputed, false) as is_disputed,
        coalesce(obj.livemode, livemode) as is_livemode,
        coalesce(is_deleted or obj.deleted, false) as is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
