{#
    Each month's totals are the sums of its paid transfers, to the cent, and
    no paid transfer's month is missing (or extra).
#}
{{ config(meta={'dagster': {'ref': {'name': 'transfers_monthly'}}}) }}
with

expected as (

    select
        arrival_month as month,
        currency,
        account_id,
        count(*) as payout_count,
        coalesce(sum(charge_gross), 0) as total_gross,
        coalesce(sum(net), 0) as total_net,
        coalesce(sum(charge_fees), 0) as total_charge_fees,
        coalesce(sum(adjustment_fees), 0) as total_adjustment_fees,
        coalesce(sum(refund_gross), 0) as total_refund_gross,
        coalesce(sum(refund_fees), 0) as total_refund_fees,
        coalesce(sum(validation_fees), 0) as total_validation_fees,
        sum(amount) as total_amount
    from {{ ref('transfers') }}
    where status = 'paid'
    group by all

),

actual as (

    select
        month,
        currency,
        account_id,
        payout_count,
        total_gross,
        total_net,
        total_charge_fees,
        total_adjustment_fees,
        total_refund_gross,
        total_refund_fees,
        total_validation_fees,
        total_amount
    from {{ ref('transfers_monthly') }}

),

{{ rowset_differences('expected', 'actual') }}
