{# A payout only ever sums transactions of its own currency. #}
{{ config(meta={'dagster': {'ref': {'name': 'balance_transactions'}}}) }}
select
    balance_transactions.payout_id,
    balance_transactions.balance_transaction_id,
    balance_transactions.currency as transaction_currency,
    payouts.currency as payout_currency
from {{ ref('balance_transactions') }} as balance_transactions
inner join {{ ref('stg_stripe__payouts') }} as payouts
    on balance_transactions.payout_id = payouts.payout_id
where balance_transactions.currency <> payouts.currency
