{#
    A balance transaction's fee lines are in its own (settlement) currency, so
    summing them per transaction never adds two currencies.
#}
with

fee_lines as (

    select
        balance_transaction_id,
        currency as transaction_currency,
        lower(unnest(fee_details).currency) as fee_currency
    from {{ ref('int_balance_transactions_with_payouts') }}

)

select *
from fee_lines
where fee_currency <> transaction_currency
