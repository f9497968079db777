{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='balance_transaction_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('balance_transaction_id', balance_transactions_batch) }}",
    post_hook="{{ close_batch('balance_transaction_id') }}",
) }}

with

all_transactions as (

    select * from {{ ref('int_balance_transactions_with_payouts') }}
    where {{ in_batch('balance_transaction_id') }}

),

payouts as (

    select * from {{ ref('stg_stripe__payouts') }}

),

refunds as (

    select * from {{ ref('stg_stripe__refunds') }}

),

disputes as (

    select * from {{ ref('stg_stripe__disputes') }}

),

categories as (

    select * from {{ ref('balance_transaction_fee_categories') }}

),

unnested_fee_lines as (

    select
        balance_transaction_id,
        unnest(fee_details) as fee
    from all_transactions

),

fee_lines as (

    select
        unnested_fee_lines.balance_transaction_id,
        unnested_fee_lines.fee.amount,
        coalesce(categories.fee_category, 'other_fee') as fee_column
    from unnested_fee_lines
    left join categories
        on
            categories.match_column = 'fee_type'
            and unnested_fee_lines.fee.type = categories.match_value

),

fee_breakdown as (

    select
        balance_transaction_id,
        coalesce(sum(amount) filter (where fee_column = 'stripe_fee'), 0) as stripe_fee,
        coalesce(sum(amount) filter (where fee_column = 'application_fee'), 0)
            as application_fee,
        coalesce(sum(amount) filter (where fee_column = 'tax_fee'), 0) as tax_fee,
        coalesce(sum(amount) filter (where fee_column = 'other_fee'), 0) as other_fee,
        count(*) as fee_line_count
    from fee_lines
    group by balance_transaction_id

),

final as (

    select
        {# ids #}
        all_transactions.balance_transaction_id,
        all_transactions.payout_id,
        all_transactions.source_id,
        case split_part(all_transactions.source_id, '_', 1)
            when 'ch' then 'charge'
            when 'py' then 'charge'
            when 're' then 'refund'
            when 'pyr' then 'refund'
            when 'du' then 'dispute'
            when 'dp' then 'dispute'
            when 'po' then 'payout'
            when 'tr' then 'transfer'
            when 'trr' then 'transfer_reversal'
            when 'fee' then 'application_fee'
            when 'fr' then 'application_fee_refund'
        end as source_type,
        coalesce(
            case
                when split_part(all_transactions.source_id, '_', 1) in ('ch', 'py')
                    then all_transactions.source_id
            end,
            refunds.charge_id,
            disputes.charge_id
        ) as charge_id,
        all_transactions.account_id,

        {# amounts, minor units of `currency`, Stripe's signs (see YAML) #}
        all_transactions.amount,
        all_transactions.fee,
        all_transactions.net,
        all_transactions.currency,
        coalesce(fee_breakdown.stripe_fee, 0) as stripe_fee,
        coalesce(fee_breakdown.application_fee, 0) as application_fee,
        coalesce(fee_breakdown.tax_fee, 0) as tax_fee,
        coalesce(fee_breakdown.other_fee, 0) as other_fee,
        coalesce(fee_breakdown.fee_line_count, 0) as fee_line_count,
        all_transactions.exchange_rate,

        {# descriptive #}
        all_transactions.balance_transaction_type,
        all_transactions.reporting_category,
        coalesce(
            by_type.fee_category, by_reporting_category.fee_category, 'unclassified'
        ) as fee_category,
        all_transactions.status,
        all_transactions.description,

        {# booleans #}
        payouts.payout_id is not null as is_payout_own_transaction,
        all_transactions.is_livemode,

        {# timestamps #}
        all_transactions.created_at,
        all_transactions.available_at,
        {{ stripe_month('epoch(all_transactions.created_at)') }} as created_month

    from all_transactions
    left join payouts
        on all_transactions.balance_transaction_id = payouts.balance_transaction_id
    left join fee_breakdown
        on all_transactions.balance_transaction_id = fee_breakdown.balance_transaction_id
    left join categories as by_type
        on
            by_type.match_column = 'type'
            and all_transactions.balance_transaction_type = by_type.match_value
    left join categories as by_reporting_category
        on
            by_reporting_category.match_column = 'reporting_category'
            and all_transactions.reporting_category = by_reporting_category.match_value
    left join refunds
        on all_transactions.source_id = refunds.refund_id
    left join disputes
        on all_transactions.source_id = disputes.dispute_id

)

select * from final
