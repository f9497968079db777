{#
    One row per coupon, with its promotion codes and how often it was redeemed.
#}
with

coupons as (

    select * from {{ ref('stg_stripe__coupons') }}
    where not is_deleted

),

promotion_codes as (

    select
        coupon_id,
        account_id,
        count(*) as promotion_code_count,
        count(*) filter (where is_active) as active_promotion_code_count,
        coalesce(sum(times_redeemed), 0) as promotion_code_redemptions
    from {{ ref('stg_stripe__promotion_codes') }}
    where not is_deleted
    group by all

),

final as (

    select
        coupons.coupon_id,
        coupons.account_id,
        coupons.coupon_name,
        case when coupons.percent_off is not null then 'percent_off' else 'amount_off' end
            as discount_type,
        coupons.percent_off,
        {# minor units of `currency`; null for percent-off coupons #}
        coupons.amount_off,
        coupons.currency,
        coupons.duration,
        coupons.duration_in_months,
        coupons.max_redemptions,
        coupons.times_redeemed,
        coalesce(promotion_codes.promotion_code_count, 0) as promotion_code_count,
        coalesce(promotion_codes.active_promotion_code_count, 0) as active_promotion_code_count,
        coalesce(promotion_codes.promotion_code_redemptions, 0) as promotion_code_redemptions,
        coupons.is_valid,
        coupons.is_livemode,
        coupons.created_at,
        coupons.redeem_by_at

    from coupons
    left join promotion_codes
        on coupons.coupon_id = promotion_codes.coupon_id
            and coupons.account_id is not distinct from promotion_codes.account_id

)

select * from final
