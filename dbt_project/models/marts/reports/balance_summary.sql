{#
    Stripe's Balance summary (`balance.summary.1`) per period: starting
    balance, activity, payouts, ending balance, for every period of the
    spine (empty ones included), anchored on the latest balance snapshot.
#}
with

periods as (

    select * from {{ ref('int_report_periods') }}

),

activity as (

    select * from {{ ref('int_balance_activity_by_period') }}

),

snapshots as (

    select * from {{ ref('balance_snapshots') }}

),

anchors as (

    select
        account_id,
        currency,
        balance_brought_forward
    from snapshots
    where is_latest

),

period_totals as (

    select
        period_grain,
        period_start,
        account_id,
        currency,
        {{ sum_minor_units('gross', "summary_section = 'activity'") }} as activity_gross,
        {{ sum_minor_units('fee', "summary_section = 'activity'") }} as activity_fee,
        {{ sum_minor_units('net', "summary_section = 'activity'") }} as activity_net,
        {{ sum_minor_units('transaction_count', "summary_section = 'activity'") }}
            as activity_count,
        -{{ sum_minor_units('net', "summary_section = 'payouts'") }} as total_payouts,
        {{ sum_minor_units('transaction_count', "summary_section = 'payouts'") }}
            as payout_count
    from activity
    group by period_grain, period_start, account_id, currency

),

dense as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.account_id,
        periods.currency,
        coalesce(period_totals.activity_gross, 0) as activity_gross,
        coalesce(period_totals.activity_fee, 0) as activity_fee,
        coalesce(period_totals.activity_net, 0) as activity_net,
        coalesce(period_totals.activity_count, 0) as activity_count,
        coalesce(period_totals.total_payouts, 0) as total_payouts,
        coalesce(period_totals.payout_count, 0) as payout_count,
        coalesce(anchors.balance_brought_forward, 0) as balance_brought_forward
    from periods
    left join period_totals
        on
            periods.period_grain = period_totals.period_grain
            and periods.period_start = period_totals.period_start
            and periods.account_id is not distinct from period_totals.account_id
            and periods.currency = period_totals.currency
    left join anchors
        on
            periods.account_id is not distinct from anchors.account_id
            and periods.currency = anchors.currency

),

balances as (

    select
        *,
        balance_brought_forward + coalesce(cast(sum(activity_net - total_payouts) over (
            partition by period_grain, account_id, currency
            order by period_start
            rows between unbounded preceding and 1 preceding
        ) as bigint), 0) as starting_balance,
        period_start = max(period_start) over (
            partition by period_grain, account_id, currency
        ) as is_latest_period
    from dense

),

final as (

    select
        {# grain #}
        period_grain,
        period_start,
        period_end,
        account_id,
        currency,

        {# amounts, minor units of `currency` #}
        cast(starting_balance as bigint) as starting_balance,
        activity_gross,
        activity_fee,
        activity_net,
        activity_count,
        total_payouts,
        payout_count,
        cast(starting_balance + activity_net - total_payouts as bigint) as ending_balance,
        cast(balance_brought_forward as bigint) as balance_brought_forward,

        {# booleans #}
        is_latest_period

    from balances

)

select * from final
