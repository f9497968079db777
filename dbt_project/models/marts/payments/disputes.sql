{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='dispute_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('dispute_id', disputes_batch) }}",
    post_hook="{{ close_batch('dispute_id') }}",
) }}

with

disputes as (

    select * from {{ ref('stg_stripe__disputes') }}
    where {{ in_batch('dispute_id') }}

),

balance_transactions as (

    select * from {{ ref('balance_transactions') }}
    where source_type = 'dispute' and {{ in_batch('dispute_id', 'source_id') }}

),

{# the currency the dispute's funds were withdrawn in: its settlement currency #}
withdrawals as (

    select
        source_id as dispute_id,
        currency as settlement_currency
    from balance_transactions
    where reporting_category = 'dispute'
    qualify
        row_number() over (
            partition by source_id order by created_at, balance_transaction_id
        ) = 1

),

{# withdrawal (`dispute`) and reinstatement (`dispute_reversal`) transactions,
   in the settlement currency only: money never adds across currencies #}
movements as (

    select
        withdrawals.dispute_id,
        count(*) as balance_transaction_count,
        -coalesce(sum(txn.amount) filter (where txn.reporting_category = 'dispute'), 0)
            as amount_withdrawn,
        coalesce(sum(txn.amount) filter (where txn.reporting_category = 'dispute_reversal'), 0)
            as amount_reinstated,
        coalesce(sum(txn.fee) filter (where txn.reporting_category = 'dispute'), 0)
            as dispute_fee,
        -coalesce(sum(txn.fee) filter (where txn.reporting_category = 'dispute_reversal'), 0)
            as dispute_fee_reversed,
        sum(txn.net) as net
    from withdrawals
    inner join balance_transactions as txn
        on
            withdrawals.dispute_id = txn.source_id
            and withdrawals.settlement_currency = txn.currency
    group by withdrawals.dispute_id

),

final as (

    select
        {# ids #}
        disputes.dispute_id,
        disputes.charge_id,
        disputes.payment_intent_id,
        disputes.account_id,

        {# disputed amount: positive, minor units of `currency` (the charge's) #}
        disputes.amount,
        disputes.currency,

        {# from its balance transactions, minor units of `settlement_currency`:
           withdrawn and reinstated positive, fee positive = charged by Stripe,
           fee reversed positive = given back, net signed (money in positive) #}
        coalesce(movements.amount_withdrawn, 0) as amount_withdrawn,
        coalesce(movements.amount_reinstated, 0) as amount_reinstated,
        coalesce(movements.dispute_fee, 0) as dispute_fee,
        coalesce(movements.dispute_fee_reversed, 0) as dispute_fee_reversed,
        coalesce(movements.net, 0) as net,
        withdrawals.settlement_currency,
        coalesce(movements.balance_transaction_count, 0) as balance_transaction_count,

        {# descriptive #}
        disputes.reason,
        disputes.status,

        {# booleans #}
        disputes.is_charge_refundable,
        disputes.is_livemode,

        {# timestamps #}
        disputes.created_at,
        disputes.evidence_due_at,
        {{ stripe_month('epoch(disputes.created_at)') }} as created_month

    from disputes
    left join withdrawals
        on disputes.dispute_id = withdrawals.dispute_id
    left join movements
        on disputes.dispute_id = movements.dispute_id

)

select * from final
