{#
    The activity and payouts lines of Stripe's Balance summary
    (`balance.summary.1`) per reporting category: one row per non-empty
    (period, account, currency, reporting_category).
#}
with

activity as (

    select * from {{ ref('int_balance_activity_by_period') }}

),

periods as (

    select * from {{ ref('int_report_periods') }}

),

final as (

    select
        {# grain #}
        activity.period_grain,
        activity.period_start,
        periods.period_end,
        activity.account_id,
        activity.currency,
        activity.reporting_category,

        {# descriptive #}
        activity.summary_section,

        {# amounts, minor units of `currency` #}
        activity.transaction_count,
        activity.gross,
        activity.fee,
        activity.net

    from activity
    inner join periods
        on
            activity.period_grain = periods.period_grain
            and activity.period_start = periods.period_start
            and activity.account_id is not distinct from periods.account_id
            and activity.currency = periods.currency

)

select * from final
