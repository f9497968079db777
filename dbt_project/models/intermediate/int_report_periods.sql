{#
    The dense period spine of the balance reports: every day, ISO week
    (Monday), month and quarter, UTC, per (account, currency), from the
    period of the currency's first balance transaction to the period holding
    the account's latest balance snapshot (or the account's latest
    transaction in any currency, when later or when there is no snapshot). Empty periods are rows too, so a
    balance carries across them. A table: the marts read it several times.
#}
{{ config(materialized='table') }}

with

transactions as (

    select * from {{ ref('balance_transactions') }}

),

snapshots as (

    select * from {{ ref('stg_stripe__balance_snapshots') }}

),

grains as (

    {{ report_period_grains() }}

),

{# the latest snapshot of each account, one row per currency it lists #}
latest_snapshot as (

    select
        account_id,
        currency,
        {{ stripe_date('epoch(taken_at)') }} as taken_date
    from snapshots
    qualify dense_rank() over (
            partition by account_id order by taken_at desc, snapshot_id desc
        ) = 1

),

latest_snapshot_per_account as (

    select
        account_id,
        max(taken_date) as taken_date
    from latest_snapshot
    group by account_id

),

transaction_bounds as (

    select
        account_id,
        currency,
        min({{ stripe_date('epoch(created_at)') }}) as first_date,
        max({{ stripe_date('epoch(created_at)') }}) as last_date
    from transactions
    group by account_id, currency

),

{# one end for the whole account, so every currency's latest period is the same #}
account_last_dates as (

    select
        account_id,
        max(last_date) as last_date
    from transaction_bounds
    group by account_id

),

{# a currency only the snapshot knows (no transaction yet) starts at the snapshot #}
currencies as (

    select
        account_id,
        currency
    from transaction_bounds
    union
    select
        account_id,
        currency
    from latest_snapshot

),

bounds as (

    select
        currencies.account_id,
        currencies.currency,
        coalesce(transaction_bounds.first_date, latest_snapshot_per_account.taken_date)
            as first_date,
        greatest(
            coalesce(account_last_dates.last_date, latest_snapshot_per_account.taken_date),
            coalesce(latest_snapshot_per_account.taken_date, account_last_dates.last_date)
        ) as last_date
    from currencies
    left join transaction_bounds
        on
            currencies.account_id is not distinct from transaction_bounds.account_id
            and currencies.currency = transaction_bounds.currency
    left join account_last_dates
        on currencies.account_id is not distinct from account_last_dates.account_id
    left join latest_snapshot_per_account
        on currencies.account_id is not distinct from latest_snapshot_per_account.account_id

),

series as (

    select
        grains.period_grain,
        grains.period_length,
        bounds.account_id,
        bounds.currency,
        unnest(
            generate_series(
                cast(date_trunc(grains.period_grain, bounds.first_date) as timestamp),
                cast(date_trunc(grains.period_grain, bounds.last_date) as timestamp),
                grains.period_length
            )
        ) as period_start_at
    from bounds
    cross join grains

),

final as (

    select
        period_grain,
        cast(period_start_at as date) as period_start,
        cast(period_start_at + period_length as date) as period_end,
        account_id,
        currency
    from series

)

select * from final
