{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='payment_intent_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('payment_intent_id', payment_intents_batch) }}",
    post_hook="{{ close_batch('payment_intent_id') }}",
) }}
-- depends_on: {{ ref('stg_stripe__customer_purges') }}

with

payment_intents as (

    select * from {{ ref('stg_stripe__payment_intents') }}
    where {{ in_batch('payment_intent_id') }}

),

charges as (

    select * from {{ ref('stg_stripe__charges') }}
    where payment_intent_id is not null and {{ in_batch('payment_intent_id') }}

),

{# an intent's charges are all in its currency: their amounts add #}
charge_totals as (

    select
        payment_intent_id,
        count(*) as charge_count,
        count(*) filter (where status = 'succeeded') as succeeded_charge_count,
        count(*) filter (where status = 'failed') as failed_charge_count,
        coalesce(sum(amount_captured) filter (where status = 'succeeded'), 0)
            as amount_captured,
        coalesce(sum(amount_refunded) filter (where status = 'succeeded'), 0)
            as amount_refunded
    from charges
    group by payment_intent_id

),

successful_charges as (

    select
        payment_intent_id,
        charge_id as successful_charge_id,
        created_at as succeeded_at
    from charges
    where status = 'succeeded'
    qualify
        row_number() over (
            partition by payment_intent_id order by created_at desc, charge_id desc
        ) = 1

),

final as (

    select
        {# ids #}
        payment_intents.payment_intent_id,
        payment_intents.customer_id,
        payment_intents.latest_charge_id,
        successful_charges.successful_charge_id,
        payment_intents.payment_method_id,
        payment_intents.account_id,

        {# amounts, positive, minor units of `currency` #}
        payment_intents.amount,
        payment_intents.amount_received,
        coalesce(charge_totals.amount_captured, 0) as amount_captured,
        coalesce(charge_totals.amount_refunded, 0) as amount_refunded,
        payment_intents.currency,

        {# counts #}
        coalesce(charge_totals.charge_count, 0) as charge_count,
        coalesce(charge_totals.succeeded_charge_count, 0) as succeeded_charge_count,
        coalesce(charge_totals.failed_charge_count, 0) as failed_charge_count,

        {# descriptive #}
        payment_intents.status,
        case
            when payment_intents.status = 'succeeded' then 'succeeded'
            when payment_intents.status = 'canceled' then 'canceled'
            when payment_intents.status = 'processing' then 'processing'
            when coalesce(charge_totals.failed_charge_count, 0) > 0 then 'failed'
            when payment_intents.status = 'requires_payment_method' then 'abandoned'
            else 'open'
        end as outcome,
        payment_intents.cancellation_reason,
        payment_intents.last_payment_error_code,
        payment_intents.last_payment_error_decline_code,
        payment_intents.capture_method,
        payment_intents.description,

        {# booleans #}
        payment_intents.is_livemode,

        {# timestamps #}
        payment_intents.created_at,
        successful_charges.succeeded_at,
        payment_intents.canceled_at,
        {{ stripe_month('epoch(payment_intents.created_at)') }} as created_month

    from payment_intents
    left join charge_totals
        on payment_intents.payment_intent_id = charge_totals.payment_intent_id
    left join successful_charges
        on payment_intents.payment_intent_id = successful_charges.payment_intent_id

)

select * from final
