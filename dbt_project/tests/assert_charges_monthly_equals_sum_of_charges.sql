{# Each month's charge totals are the sums of its paid charges, to the cent, per
   currency and settlement currency. #}
{{ config(meta={'dagster': {'ref': {'name': 'charges_monthly'}}}) }}
with

expected as (

    select
        created_month as month,
        currency,
        settlement_currency,
        account_id,
        count(*) as charge_count,
        sum(amount) as total_amount,
        coalesce(sum(amount_captured), 0) as total_amount_captured,
        coalesce(sum(settlement_amount), 0) as total_settlement_amount,
        coalesce(sum(fee), 0) as total_fee,
        coalesce(sum(net), 0) as total_net,
        sum(amount_refunded) as total_refunded
    from {{ ref('charges') }}
    where is_paid
    group by all

),

actual as (

    select
        month,
        currency,
        settlement_currency,
        account_id,
        charge_count,
        total_amount,
        total_amount_captured,
        total_settlement_amount,
        total_fee,
        total_net,
        total_refunded
    from {{ ref('charges_monthly') }}

),

{{ rowset_differences('expected', 'actual') }}
