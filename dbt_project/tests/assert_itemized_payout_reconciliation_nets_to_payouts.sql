{#
    Payout reconciliation: the rows of each paid automatic payout net to its
    amount, to the cent, in its currency. A paid automatic payout with no row
    at all is the warn test transfers_paid_automatic_are_itemized (its
    transactions may be older than the extraction), not this one.
#}
{{ config(meta={'dagster': {'ref': {'name': 'payout_reconciliation'}}}) }}
with

payouts as (

    select * from {{ ref('transfers') }}
    where is_paid and not is_manual

),

reconciliation as (

    select * from {{ ref('payout_reconciliation') }}

),

sums as (

    select
        automatic_payout_id,
        count(distinct currency) as currency_count,
        max(currency) as currency,
        sum(net) as net
    from reconciliation
    group by automatic_payout_id

)

select
    payouts.payout_id,
    payouts.amount,
    payouts.currency as payout_currency,
    sums.currency,
    sums.currency_count,
    sums.net
from payouts
inner join sums
    on payouts.payout_id = sums.automatic_payout_id
where
    sums.net != payouts.amount
    or sums.currency_count != 1
    or sums.currency != payouts.currency
