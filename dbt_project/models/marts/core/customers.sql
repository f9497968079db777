{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('customer_id', customers_batch) }}",
    post_hook="{{ close_batch('customer_id') }}",
) }}

with

customers as (

    select * from {{ ref('stg_stripe__customers') }}
    where {{ in_batch('customer_id') }}

),

charges as (

    select * from {{ ref('charges') }}

),

subscriptions as (

    select * from {{ ref('subscriptions') }}

),

currency_totals as (

    select * from {{ ref('customer_currency_totals') }}

),

purges as (

    select * from {{ ref('stg_stripe__customer_purges') }}

),

{# when the default source was not extracted expanded: the card last charged #}
latest_card_charge as (

    {# each customer's latest paid card charge, as one struct: on DuckLake, DuckDB 1.5.5
       fails to bind this model with `qualify row_number() over (…)` here instead #}
    select
        customer_id,
        arg_max(
            {
                'card_brand': card_brand,
                'card_last4': card_last4,
                'card_fingerprint': card_fingerprint,
                'card_exp_month': card_exp_month,
                'card_exp_year': card_exp_year
            },
            created_at
        ) as card
    from charges
    where card_last4 is not null and is_paid
    group by customer_id

),

last_card as (

    select
        customer_id,
        card.card_brand,
        card.card_last4,
        card.card_fingerprint,
        card.card_exp_month,
        card.card_exp_year
    from latest_card_charge

),

current_subscription as (

    select
        customer_id,
        subscription_id,
        status
    from subscriptions
    where is_current

),

currencies as (

    select
        customer_id,
        count(distinct currency) as charged_currency_count,
        list(distinct currency order by currency) as charged_currencies
    from currency_totals
    group by customer_id

),

final as (

    select
        {# ids #}
        customers.customer_id,
        customers.account_id,
        current_subscription.subscription_id as current_subscription_id,
        customers.default_source_id,
        customers.default_payment_method_id,

        {# descriptive #}
        customers.email,
        customers.name,
        customers.description,
        customers.currency,
        current_subscription.status as current_subscription_status,
        coalesce(customers.default_card_brand, last_card.card_brand) as default_card_brand,
        coalesce(customers.default_card_last4, last_card.card_last4) as default_card_last4,
        coalesce(customers.default_card_fingerprint, last_card.card_fingerprint)
            as default_card_fingerprint,
        coalesce(customers.default_card_exp_month, last_card.card_exp_month)
            as default_card_exp_month,
        coalesce(customers.default_card_exp_year, last_card.card_exp_year)
            as default_card_exp_year,
        coalesce(currencies.charged_currency_count, 0) as charged_currency_count,
        coalesce(currencies.charged_currencies, []) as charged_currencies,

        {# booleans #}
        customers.is_deleted,
        customers.is_retrieved_as_deleted,
        customers.is_purged or purges.customer_id is not null as is_purged,
        customers.is_delinquent,
        customers.is_livemode,

        {# timestamps #}
        customers.created_at,
        purges.purged_at

    from customers
    left join last_card
        on customers.customer_id = last_card.customer_id
    left join current_subscription
        on customers.customer_id = current_subscription.customer_id
    left join currencies
        on customers.customer_id = currencies.customer_id
    left join purges
        on customers.customer_id = purges.customer_id

)

select * from final
