{# A payout only ever sums transactions of its own currency. #}
select
    bridge.payout_id,
    bridge.balance_transaction_id,
    bridge.currency as transaction_currency,
    payouts.currency as payout_currency
from {{ ref('stg_stripe__payout_balance_transactions') }} as bridge
inner join {{ ref('stg_stripe__payouts') }} as payouts
    on bridge.payout_id = payouts.payout_id
where bridge.currency <> payouts.currency
