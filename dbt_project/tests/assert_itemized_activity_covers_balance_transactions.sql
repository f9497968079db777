{#
    Every balance transaction outside the payouts section appears exactly once
    in balance_change_from_activity, and nothing else does: per (account,
    currency), the counts and Σ net of the two sides agree, and no
    transaction is missing or repeated. Returns the offending rows.
#}
{{ config(meta={'dagster': {'ref': {'name': 'balance_change_from_activity'}}}) }}
with

balance_transactions as (

    select * from {{ ref('balance_transactions') }}
    where reporting_category not in ('payout', 'payout_reversal')

),

activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

expected as (

    select
        balance_transaction_id,
        net
    from balance_transactions

),

listed as (

    select
        balance_transaction_id,
        count(*) as row_count,
        sum(net) as net
    from activity
    group by balance_transaction_id

),

compared as (

    select
        coalesce(expected.balance_transaction_id, listed.balance_transaction_id)
            as balance_transaction_id,
        coalesce(listed.row_count, 0) as row_count,
        expected.net as expected_net,
        listed.net as listed_net
    from expected
    full outer join listed
        on expected.balance_transaction_id = listed.balance_transaction_id

)

select * from compared
where
    row_count != 1
    or expected_net is null
    or listed_net is distinct from expected_net
