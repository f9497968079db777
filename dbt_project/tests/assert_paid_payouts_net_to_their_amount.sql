{#
    Every paid payout Stripe itemized: its swept transactions (its own one
    aside) net to its amount, to the cent, and with its own transaction
    (−amount) to zero. Sums the transactions themselves, not the transfers'
    summaries.
#}
{{ config(meta={'dagster': {'ref': {'name': 'balance_transactions'}}}) }}
with

payouts as (

    select * from {{ ref('stg_stripe__payouts') }}
    where status = 'paid'

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}
    where payout_id is not null

),

sums as (

    select
        payout_id,
        sum(net) as net_with_own,
        sum(net) filter (where not is_payout_own_transaction) as net_swept
    from balance_transactions
    group by payout_id

)

select
    payouts.payout_id,
    payouts.amount,
    sums.net_swept,
    sums.net_with_own
from payouts
inner join sums
    on payouts.payout_id = sums.payout_id
where sums.net_swept <> payouts.amount or sums.net_with_own <> 0
