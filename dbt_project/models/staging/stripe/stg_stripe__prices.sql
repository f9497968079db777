{{ config(unique_key='price_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'prices'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as price_id,
        account as account_id,
        {{ stripe_id('obj.product') }} as product_id,

        {# amounts, minor units of `currency` #}
        obj.unit_amount,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.type as price_type,
        obj.billing_scheme,
        obj.nickname,
        obj.lookup_key,
        obj.recurring.interval as recurring_interval,
        obj.recurring.interval_count as recurring_interval_count,
        obj.recurring.usage_type as recurring_usage_type,

        {# booleans #}
        coalesce(obj.active, false) as is_active,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
