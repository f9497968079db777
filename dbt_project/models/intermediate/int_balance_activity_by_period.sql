{#
    Balance transactions summed per period (day, ISO week, month, quarter;
    UTC, by `created`: a transaction enters the balance when it is created),
    account, currency and reporting category, with the Balance summary
    section of the category (seed `stripe_reporting_categories`; a category
    the seed lacks is `unclassified`, in activity). Non-empty periods only.
#}
with

transactions as (

    select * from {{ ref('balance_transactions') }}

),

categories as (

    select * from {{ ref('stripe_reporting_categories') }}

),

grains as (

    {{ report_period_grains() }}

),

classified as (

    select
        transactions.account_id,
        transactions.currency,
        coalesce(categories.reporting_category, 'unclassified') as reporting_category,
        coalesce(categories.summary_section, 'activity') as summary_section,
        transactions.amount,
        transactions.fee,
        transactions.net,
        {{ stripe_date('epoch(transactions.created_at)') }} as created_date
    from transactions
    left join categories
        on transactions.reporting_category = categories.reporting_category

),

final as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, classified.created_date) as date) as period_start,
        classified.account_id,
        classified.currency,
        classified.reporting_category,
        classified.summary_section,
        count(*) as transaction_count,
        {{ sum_minor_units('classified.amount') }} as gross,
        {{ sum_minor_units('classified.fee') }} as fee,
        {{ sum_minor_units('classified.net') }} as net
    from classified
    cross join grains
    group by
        grains.period_grain,
        cast(date_trunc(grains.period_grain, classified.created_date) as date),
        classified.account_id,
        classified.currency,
        classified.reporting_category,
        classified.summary_section

)

select * from final
