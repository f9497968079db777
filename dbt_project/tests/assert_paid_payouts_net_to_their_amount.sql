{#
    Every paid payout Stripe itemized: its swept transactions (its own one
    aside) net to its amount, to the cent, and with its own transaction
    (−amount) to zero. Read from staging, independently of the marts' logic.
#}
with

payouts as (

    select * from {{ ref('stg_stripe__payouts') }}
    where status = 'paid'

),

bridge as (

    select * from {{ ref('stg_stripe__payout_balance_transactions') }}

),

sums as (

    select
        bridge.payout_id,
        sum(bridge.net) as net_with_own,
        sum(bridge.net) filter (
            where bridge.balance_transaction_id <> payouts.balance_transaction_id
        ) as net_swept
    from bridge
    inner join payouts
        on bridge.payout_id = payouts.payout_id
    group by bridge.payout_id

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
