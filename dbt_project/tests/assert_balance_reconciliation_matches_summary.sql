{#
    At every month end, the transactions ending_balance_reconciliation
    itemizes add up to the month's ending_balance in balance_summary minus
    the balance brought forward (what the extracted history does not
    explain). Warn only: a payout that swept transactions the warehouse does
    not have (older than the extracted history) breaks it honestly.
#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'ending_balance_reconciliation'}}}) }}

with

summary as (

    select * from {{ ref('balance_summary') }}
    where period_grain = 'month'

),

itemized as (

    select
        account_id,
        currency,
        period_end,
        {{ sum_minor_units('net') }} as itemized_net
    from {{ ref('ending_balance_reconciliation') }}
    group by account_id, currency, period_end

),

compared as (

    select
        summary.account_id,
        summary.currency,
        summary.period_end,
        summary.ending_balance - summary.balance_brought_forward as expected_net,
        coalesce(itemized.itemized_net, 0) as itemized_net
    from summary
    left join itemized
        on
            summary.account_id is not distinct from itemized.account_id
            and summary.currency = itemized.currency
            and summary.period_end = itemized.period_end

)

select * from compared
where expected_net <> itemized_net
