{#
    One row per (subscription, month) from the subscription's first month of
    recurring revenue to the month after its last one (where it churns),
    capped at the month of the latest invoice. A subscription's MRR in a month
    is the recurring revenue of the subscription lines (no prorations) of its
    open, paid or uncollectible invoices whose period covers the month's end
    (or, for the last month, the latest invoice's creation: the data's "now"),
    normalized to one month (a year is 12 months, a week 12/52 of one, a day
    12/365), rounded to whole minor units.
#}
{# a table: read by its mart and its tests, computed once #}
{{ config(materialized='table') }}

with

line_items as (

    select * from {{ ref('invoice_line_items') }}

),

recurring_lines as (

    select
        subscription_id,
        account_id,
        currency,
        period_start_at,
        period_end_at,
        amount * case recurring_interval
            when 'month' then 1.0
            when 'year' then 1.0 / 12
            when 'week' then 52.0 / 12
            when 'day' then 365.0 / 12
        end / coalesce(recurring_interval_count, 1) as monthly_amount
    from line_items
    where
        line_type = 'subscription'
        and not is_proration
        and subscription_id is not null
        and invoice_status in ('open', 'paid', 'uncollectible')

),

horizon as (

    select
        max(invoice_created_at) as as_of,
        date_trunc('month', max(invoice_created_at)) as last_month
    from line_items

),

spans as (

    select
        recurring_lines.subscription_id,
        any_value(recurring_lines.account_id) as account_id,
        any_value(recurring_lines.currency) as currency,
        date_trunc('month', min(recurring_lines.period_start_at)) as first_month,
        least(
            date_trunc('month', max(recurring_lines.period_end_at)),
            any_value(horizon.last_month)
        ) as last_month
    from recurring_lines
    cross join horizon
    group by recurring_lines.subscription_id

),

subscription_months as (

    select
        spans.subscription_id,
        spans.account_id,
        spans.currency,
        unnest(generate_series(spans.first_month, spans.last_month, interval 1 month))
            as month_start
    from spans

),

snapshots as (

    select
        subscription_months.*,
        least(subscription_months.month_start + interval 1 month, horizon.as_of)
            as snapshot_at
    from subscription_months
    cross join horizon

),

monthly as (

    select
        snapshots.subscription_id,
        snapshots.account_id,
        snapshots.currency,
        strftime(snapshots.month_start, '%Y-%m') as month,
        snapshots.month_start,
        coalesce(cast(round(sum(recurring_lines.monthly_amount)) as bigint), 0) as mrr
    from snapshots
    left join recurring_lines
        on
            snapshots.subscription_id = recurring_lines.subscription_id
            and snapshots.snapshot_at > recurring_lines.period_start_at
            and snapshots.snapshot_at <= recurring_lines.period_end_at
    group by all

),

final as (

    select
        subscription_id,
        account_id,
        currency,
        month,
        mrr,
        coalesce(lag(mrr) over by_month, 0) as previous_mrr,
        coalesce(
            max(mrr) over (
                partition by subscription_id
                order by month_start
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) > 0 as had_mrr_before
    from monthly
    window by_month as (partition by subscription_id order by month_start)

)

select * from final
