{{ config(unique_key='promotion_code_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'promotion_codes'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as promotion_code_id,
        obj.promotion.coupon as coupon_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        account as account_id,

        {# numerics #}
        obj.times_redeemed,
        obj.max_redemptions,

        {# descriptive #}
        obj.code,
        obj.promotion.type as promotion_type,

        {# booleans #}
        coalesce(obj.active, false) as is_active,
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
