{#
    django-stripe-payments' Transfer (Stripe's old name for a payout): one row
    per payout, with the summary Stripe no
    longer provides rebuilt from the payout's balance transactions (all of
    them but the payout's own), per fee category. Incremental on the payout
    (see macros/incremental.sql): a payout changed, or one of its transactions.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='payout_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('payout_id', transfers_batch) }}",
    post_hook="{{ close_batch('payout_id') }}",
) }}

with

payouts as (

    select * from {{ ref('stg_stripe__payouts') }}
    where {{ in_batch('payout_id') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}

),

payout_transactions as (

    select *
    from balance_transactions
    where
        payout_id is not null and not is_payout_own_transaction
        and {{ in_batch('payout_id') }}

),

{# one pass over the transactions per (payout, category), then a pivot of those few rows #}
by_category as (

    select
        payout_id,
        fee_category,
        count(*) as transaction_count,
        {{ sum_minor_units('amount') }} as gross,
        {{ sum_minor_units('fee') }} as fees,
        {{ sum_minor_units('net') }} as net
    from payout_transactions
    group by payout_id, fee_category

),

summaries as (

    select
        payout_id,
        cast(sum(transaction_count) as bigint) as transaction_count,
        {% for category in fee_categories() %}
            {% set in_category = "fee_category = '" ~ category ~ "'" %}
            {{ sum_minor_units('transaction_count', in_category) }} as {{ category }}_count,
            {{ sum_minor_units('gross', in_category) }} as {{ category }}_gross,
            {{ sum_minor_units('fees', in_category) }} as {{ category }}_fees,
        {% endfor %}
        {{ sum_minor_units('net') }} as net
    from by_category
    group by payout_id

),

final as (

    select
        {# ids #}
        payouts.payout_id,
        payouts.balance_transaction_id,
        payouts.account_id,

        {# the payout: amount is positive, the money sent to the bank #}
        payouts.amount,
        payouts.currency,
        payouts.status,
        payouts.description,
        payouts.method,
        payouts.payout_type,
        payouts.failure_code,

        {# the summary; null for a payout Stripe cannot itemize (manual ones) #}
        summaries.transaction_count,
        {% for category in fee_categories() %}
            summaries.{{ category }}_count,
            summaries.{{ category }}_gross,
            summaries.{{ category }}_fees,
        {% endfor %}
        summaries.net,

        {# booleans #}
        not payouts.is_automatic as is_manual,
        summaries.payout_id is not null as is_itemized,
        payouts.status = 'paid' as is_paid,
        payouts.is_livemode,

        {# timestamps and dates (UTC) #}
        payouts.created_at,
        payouts.arrival_at,
        payouts.arrival_date,
        payouts.arrival_month

    from payouts
    left join summaries
        on payouts.payout_id = summaries.payout_id

)

select * from final
