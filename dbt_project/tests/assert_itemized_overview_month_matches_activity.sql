{#
    The monthly overview equals sums over the itemized report: for every
    (UTC month, account, currency) of balance_change_from_activity, the month
    row of overview_metrics has the same gross_volume, fees, refunds and
    net_volume, recomputed here from the rows themselves (month from the
    transaction's UTC created, no shared code with the mart). Either side
    missing fails too, unless the other side is all zero.
#}
{{ config(meta={'dagster': {'ref': {'name': 'overview_metrics'}}}) }}
with

activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

overview as (

    select * from {{ ref('overview_metrics') }}
    where period_grain = 'month'

),

expected as (

    select
        {{ stripe_month('epoch(created_utc)') }} as month,
        account_id,
        currency,
        coalesce(sum(gross) filter (where reporting_category = 'charge'), 0) as gross_volume,
        coalesce(sum(fee), 0)
        - coalesce(sum(gross) filter (where reporting_category = 'fee'), 0) as fees,
        -coalesce(sum(gross) filter (where reporting_category = 'refund'), 0) as refunds,
        coalesce(sum(net) filter (
            where reporting_category in (
                'charge', 'refund', 'refund_failure', 'dispute', 'dispute_reversal',
                'partial_capture_reversal'
            )
        ), 0) as net_volume
    from activity
    group by all

),

actual as (

    select
        strftime(period_start, '%Y-%m') as month,
        account_id,
        currency,
        gross_volume,
        fees,
        refunds,
        net_volume
    from overview

),

compared as (

    select
        coalesce(expected.month, actual.month) as month,
        coalesce(expected.account_id, actual.account_id) as account_id,
        coalesce(expected.currency, actual.currency) as currency,
        coalesce(expected.gross_volume, 0) as expected_gross_volume,
        coalesce(actual.gross_volume, 0) as actual_gross_volume,
        coalesce(expected.fees, 0) as expected_fees,
        coalesce(actual.fees, 0) as actual_fees,
        coalesce(expected.refunds, 0) as expected_refunds,
        coalesce(actual.refunds, 0) as actual_refunds,
        coalesce(expected.net_volume, 0) as expected_net_volume,
        coalesce(actual.net_volume, 0) as actual_net_volume
    from expected
    full outer join actual
        on
            expected.month = actual.month
            and expected.account_id is not distinct from actual.account_id
            and expected.currency is not distinct from actual.currency

)

select * from compared
where
    expected_gross_volume != actual_gross_volume
    or expected_fees != actual_fees
    or expected_refunds != actual_refunds
    or expected_net_volume != actual_net_volume
