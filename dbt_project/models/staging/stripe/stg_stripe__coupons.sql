{{ config(unique_key='coupon_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'coupons'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids: the account's own (`SPRING25`) or random #}
        id as coupon_id,
        account as account_id,

        {# amounts: percent_off, or amount_off in minor units of `currency` #}
        obj.percent_off,
        obj.amount_off,
        lower(obj.currency) as currency,
        obj.times_redeemed,
        obj.max_redemptions,

        {# descriptive #}
        obj.name as coupon_name,
        obj.duration,
        obj.duration_in_months,

        {# booleans #}
        coalesce(obj.valid, false) as is_valid,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.redeem_by') }} as redeem_by_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
