{#
    Each balance snapshot (`GET /v1/balance`) per currency beside what the
    warehouse's balance transactions add up to at the same instant: the
    difference is the balance brought forward from before the extracted
    history (0 when the whole history is extracted).
#}
with

snapshots as (

    select * from {{ ref('stg_stripe__balance_snapshots') }}

),

transactions as (

    select * from {{ ref('balance_transactions') }}

),

warehouse_balances as (

    select
        snapshots.snapshot_id,
        snapshots.currency,
        {{ sum_minor_units('transactions.net') }} as warehouse_balance
    from snapshots
    left join transactions
        on
            snapshots.account_id is not distinct from transactions.account_id
            and snapshots.currency = transactions.currency
            and snapshots.taken_at >= transactions.created_at
    group by snapshots.snapshot_id, snapshots.currency

),

final as (

    select
        {# ids #}
        snapshots.snapshot_id,
        snapshots.account_id,
        snapshots.currency,

        {# amounts, minor units of `currency` #}
        snapshots.available,
        snapshots.pending,
        snapshots.connect_reserved,
        snapshots.available + snapshots.pending as snapshot_balance,
        warehouse_balances.warehouse_balance,
        cast(
            snapshots.available + snapshots.pending - warehouse_balances.warehouse_balance
            as bigint
        ) as balance_brought_forward,

        {# booleans #}
        dense_rank() over (
            partition by snapshots.account_id
            order by snapshots.taken_at desc, snapshots.snapshot_id desc
        ) = 1 as is_latest,
        snapshots.is_livemode,

        {# timestamps #}
        snapshots.taken_at,
        snapshots.extracted_at

    from snapshots
    inner join warehouse_balances
        on
            snapshots.snapshot_id = warehouse_balances.snapshot_id
            and snapshots.currency = warehouse_balances.currency

)

select * from final
