{#
    The overview of Stripe's Dashboard (and Fivetran's daily overview) per
    period (day, ISO week from Monday, month, quarter; UTC), account and
    currency. Money is in the settlement currency of the balance, from
    balance_change_from_activity (and the payouts section of
    balance_transactions), and never summed across currencies. Failed charges
    never settle: they count in their own (charge) currency. Customers count
    in the customer's currency, churned ones in their last subscription's.
    A row exists where at least one metric is non-zero.
#}
{% set reporting_currency = var('reporting_currency', none) %}
{% if reporting_currency %}
    {% set reporting_currency_literal = "'" ~ (reporting_currency | lower) ~ "'" %}
    {% set in_reporting_currency = 'currency = ' ~ reporting_currency_literal %}
{% else %}
    {% set reporting_currency_literal = 'null' %}
    {% set in_reporting_currency = 'false' %}
{% endif %}
{% set net_volume_categories =
    "reporting_category in ('charge', 'refund', 'refund_failure', 'dispute',"
    ~ " 'dispute_reversal', 'partial_capture_reversal')" %}
{% set money_columns = [
    'gross_volume', 'refunds', 'disputes', 'fees', 'net_volume',
    'activity_net', 'total_payouts',
] %}
{% set metric_columns = [
    'gross_volume', 'refund_count', 'refunds', 'dispute_count', 'disputes',
    'disputes_won', 'disputes_lost', 'fees', 'net_volume', 'activity_net',
    'successful_charge_count', 'failed_charge_count', 'failed_charge_amount',
    'new_customers', 'churned_customers', 'payout_count', 'total_payouts',
] %}

with

activity as (

    select * from {{ ref('balance_change_from_activity') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

categories as (

    select * from {{ ref('stripe_reporting_categories') }}

),

charges as (

    select * from {{ ref('charges') }}

),

disputes as (

    select * from {{ ref('disputes') }}

),

customers as (

    select * from {{ ref('customers') }}

),

subscriptions as (

    select * from {{ ref('subscriptions') }}

),

grains as (

    {{ report_period_grains() }}

),

{# every dated fact, UTC date, before it is spread over the four grains #}
activity_facts as (

    select
        account_id,
        currency,
        {{ stripe_date('epoch(created_utc)') }} as fact_date,
        {{ sum_minor_units('gross', "reporting_category = 'charge'") }} as gross_volume,
        count(*) filter (where reporting_category = 'refund') as refund_count,
        -{{ sum_minor_units('gross', "reporting_category = 'refund'") }} as refunds,
        count(*) filter (where reporting_category = 'dispute') as dispute_count,
        -{{ sum_minor_units('gross', "reporting_category = 'dispute'") }} as disputes,
        {{ sum_minor_units('fee') }}
        - {{ sum_minor_units('gross', "reporting_category = 'fee'") }} as fees,
        {{ sum_minor_units('net', net_volume_categories) }} as net_volume,
        {{ sum_minor_units('net') }} as activity_net,
        count(*) filter (where reporting_category = 'charge') as successful_charge_count
    from activity
    group by all

),

payout_facts as (

    select
        balance_transactions.account_id,
        balance_transactions.currency,
        {{ stripe_date('epoch(balance_transactions.created_at)') }} as fact_date,
        count(*) filter (where balance_transactions.is_payout_own_transaction) as payout_count,
        -{{ sum_minor_units('balance_transactions.net') }} as total_payouts
    from balance_transactions
    inner join categories
        on balance_transactions.reporting_category = categories.reporting_category
    where categories.summary_section = 'payouts'
    group by all

),

dispute_facts as (

    select
        account_id,
        coalesce(settlement_currency, currency) as currency,
        {{ stripe_date('epoch(created_at)') }} as fact_date,
        count(*) filter (where status = 'won') as disputes_won,
        count(*) filter (where status = 'lost') as disputes_lost
    from disputes
    group by all

),

failed_charge_facts as (

    select
        account_id,
        currency,
        {{ stripe_date('epoch(created_at)') }} as fact_date,
        count(*) as failed_charge_count,
        {{ sum_minor_units('amount') }} as failed_charge_amount
    from charges
    where status = 'failed'
    group by all

),

new_customer_facts as (

    select
        account_id,
        currency,
        {{ stripe_date('epoch(created_at)') }} as fact_date,
        count(*) as new_customers
    from customers
    {# a customer known only as Stripe's deleted stub has no known creation time #}
    where created_at is not null
    group by all

),

{# a customer's last subscription to end, when none of theirs is still running #}
last_ended_subscriptions as (

    select
        customer_id,
        account_id,
        currency,
        ended_at
    from subscriptions
    where status != 'incomplete_expired'
    qualify
        count(*) filter (where ended_at is null) over (partition by customer_id) = 0
        and row_number() over (
            partition by customer_id order by ended_at desc, subscription_id desc
        ) = 1

),

churn_facts as (

    select
        account_id,
        currency,
        {{ stripe_date('epoch(ended_at)') }} as fact_date,
        count(*) as churned_customers
    from last_ended_subscriptions
    group by all

),

facts as (

    select * from activity_facts
    union all by name
    select * from payout_facts
    union all by name
    select * from dispute_facts
    union all by name
    select * from failed_charge_facts
    union all by name
    select * from new_customer_facts
    union all by name
    select * from churn_facts

),

by_period as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, facts.fact_date) as date) as period_start,
        facts.account_id,
        facts.currency,
    {% for column in metric_columns %}
        {{ sum_minor_units('facts.' ~ column) }} as {{ column }}{{ ',' if not loop.last }}
    {% endfor %}
    from facts
    cross join grains
    group by all

),

final as (

    select
        period_grain,
        period_start,
        {{ report_period_end('period_grain', 'period_start') }} as period_end,
        account_id,
        currency,
        {% for column in metric_columns %}
            {{ column }},
        {% endfor %}
        cast({{ reporting_currency_literal }} as varchar) as reporting_currency,
    {% for column in money_columns %}
        case
            when {{ in_reporting_currency }} then {{ column }}
        end as {{ column }}_in_reporting_currency{{ ',' if not loop.last }}
    {% endfor %}
    from by_period

)

select * from final
