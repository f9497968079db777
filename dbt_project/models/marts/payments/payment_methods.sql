{#
    One row per saved payment method, with the SetupIntent that saved it.
#}
with

methods as (

    select * from {{ ref('stg_stripe__payment_methods') }}
    where not is_deleted

),

setups as (

    select
        payment_method_id,
        arg_max(setup_intent_id, created_at) as setup_intent_id,
        arg_max(mandate_id, created_at) as mandate_id,
        count(*) as setup_attempt_count
    from {{ ref('stg_stripe__setup_intents') }}
    where payment_method_id is not null and status = 'succeeded'
    group by 1

),

final as (

    select
        methods.payment_method_id,
        methods.customer_id,
        methods.account_id,
        methods.payment_method_type,
        methods.card_brand,
        methods.card_funding,
        methods.country,
        methods.bank_account_type,
        methods.allow_redisplay,
        setups.setup_intent_id,
        setups.mandate_id,
        coalesce(setups.setup_attempt_count, 0) as succeeded_setup_count,
        methods.is_livemode,
        methods.created_at

    from methods
    left join setups
        on methods.payment_method_id = setups.payment_method_id

)

select * from final
