{{ config(unique_key='invoiceitem_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'invoiceitems'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as invoiceitem_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.invoice') }} as invoice_id,
        {{ stripe_id(
            'coalesce(obj.parent.subscription_details.subscription, obj.subscription)'
        ) }} as subscription_id,
        coalesce(obj.pricing.price_details.price, obj.price.id) as price_id,
        account as account_id,

        {# amounts, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,
        obj.quantity,

        {# descriptive #}
        obj.description,

        {# booleans #}
        coalesce(obj.proration, false) as is_proration,
        coalesce(obj.livemode, livemode) as is_livemode,
        coalesce(is_deleted or obj.deleted, false) as is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('coalesce(obj.date, created)') }} as created_at,
        {{ stripe_timestamp('obj.period.start') }} as period_start_at,
        {{ stripe_timestamp('obj.period.end') }} as period_end_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
