{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='transfer_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('transfer_id', connect_transfers_batch) }}",
    post_hook="{{ close_batch('transfer_id') }}",
) }}

with

transfers as (

    select * from {{ ref('stg_stripe__transfers') }}
    where {{ in_batch('transfer_id') }}

),

final as (

    select
        {# ids #}
        transfer_id,
        destination_account_id,
        destination_payment_id,
        source_transaction_id,
        balance_transaction_id,
        account_id,

        {# amounts: positive, minor units of `currency`;
           net_amount = amount − amount_reversed, what the destination kept #}
        amount,
        amount_reversed,
        amount - amount_reversed as net_amount,
        currency,
        len(reversals) as reversal_count,
        list_sum([r.amount for r in reversals]) as listed_reversal_amount,

        {# descriptive #}
        description,
        transfer_group,
        source_type,

        {# booleans #}
        amount_reversed > 0 as is_partially_or_fully_reversed,
        is_reversed,
        has_more_reversals,
        is_livemode,

        {# timestamps #}
        created_at,
        {{ stripe_timestamp('list_max([r.created for r in reversals])') }}
            as last_reversed_at

    from transfers

)

select * from final
