{#
    One row per charge that Radar flagged: placed in review, or named by an
    early fraud warning from the card issuer; with whether it was disputed.
#}
with

reviews as (

    select
        charge_id,
        arg_max(review_id, created_at) as review_id,
        arg_max(opened_reason, created_at) as review_opened_reason,
        arg_max(closed_reason, created_at) as review_closed_reason,
        bool_or(is_open) as is_review_open
    from {{ ref('stg_stripe__reviews') }}
    where charge_id is not null and not is_deleted
    group by 1

),

warnings as (

    select
        charge_id,
        arg_max(early_fraud_warning_id, created_at) as early_fraud_warning_id,
        arg_max(fraud_type, created_at) as fraud_type,
        min(created_at) as first_warned_at
    from {{ ref('stg_stripe__early_fraud_warnings') }}
    where charge_id is not null and not is_deleted
    group by 1

),

flagged as (

    select charge_id from reviews
    union
    select charge_id from warnings

),

charges as (

    select
        charge_id,
        customer_id,
        account_id,
        amount,
        currency,
        is_disputed,
        created_at
    from {{ ref('charges') }}

),

final as (

    select
        flagged.charge_id,
        charges.customer_id,
        charges.account_id,
        {# minor units of `currency` #}
        charges.amount,
        charges.currency,
        reviews.review_id,
        reviews.review_opened_reason,
        reviews.review_closed_reason,
        coalesce(reviews.is_review_open, false) as is_review_open,
        warnings.early_fraud_warning_id,
        warnings.fraud_type,
        warnings.first_warned_at,
        coalesce(charges.is_disputed, false) as is_disputed,
        charges.created_at as charge_created_at

    from flagged
    left join reviews on flagged.charge_id = reviews.charge_id
    left join warnings on flagged.charge_id = warnings.charge_id
    left join charges on flagged.charge_id = charges.charge_id

)

select * from final
