{#
    The conversion Stripe did at settlement: charges per period (day, ISO
    week, month, quarter; UTC), account, presentment currency (what the
    customer paid in) and settlement currency (what the balance received),
    from the charge rows of balance_change_from_activity. Never summed across
    currencies: presentment amounts are in minor units of
    presentment_currency, gross/fee/net in minor units of currency.
#}
with

activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

grains as (

    {{ report_period_grains() }}

),

charge_rows as (

    select
        account_id,
        customer_facing_currency as presentment_currency,
        currency,
        {{ stripe_date('epoch(created_utc)') }} as created_date,
        customer_facing_amount,
        gross,
        fee,
        net,
        exchange_rate
    from activity
    where reporting_category = 'charge'

),

by_period as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, charge_rows.created_date) as date) as period_start,
        charge_rows.account_id,
        charge_rows.presentment_currency,
        charge_rows.currency,
        count(*) as charge_count,
        {{ sum_minor_units('charge_rows.customer_facing_amount') }} as presentment_amount,
        {{ sum_minor_units('charge_rows.gross') }} as gross,
        {{ sum_minor_units('charge_rows.fee') }} as fee,
        {{ sum_minor_units('charge_rows.net') }} as net,
        min(charge_rows.exchange_rate) as min_exchange_rate,
        max(charge_rows.exchange_rate) as max_exchange_rate
    from charge_rows
    cross join grains
    group by all

),

final as (

    select
        period_grain,
        period_start,
        {{ report_period_end('period_grain', 'period_start') }} as period_end,
        account_id,
        presentment_currency,
        currency,
        charge_count,
        presentment_amount,
        gross,
        fee,
        net,
        presentment_currency != currency as is_converted,
        min_exchange_rate,
        max_exchange_rate
    from by_period

)

select * from final
