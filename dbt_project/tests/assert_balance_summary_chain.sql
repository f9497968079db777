{#
    balance_summary is a chain: within (period_grain, account_id, currency),
    ordered by period_start, each period starts where the previous one ended
    (no gap: next period_start = this period_end) and with the balance it
    ended with (next starting_balance = this ending_balance).
#}
with

summary as (

    select * from {{ ref('balance_summary') }}

),

chained as (

    select
        period_grain,
        account_id,
        currency,
        period_start,
        period_end,
        ending_balance,
        lead(period_start) over periods as next_period_start,
        lead(starting_balance) over periods as next_starting_balance
    from summary
    window periods as (
        partition by period_grain, account_id, currency order by period_start
    )

)

select * from chained
where
    next_period_start is not null
    and (next_period_start <> period_end or next_starting_balance <> ending_balance)
