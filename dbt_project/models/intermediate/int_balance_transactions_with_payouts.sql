{#
    Every balance transaction once, parsed, with the automatic payout that
    swept it: the transactions list, plus those known only from a payout's
    `?payout=` listing. An incremental table (see macros/incremental.sql): the big
    JSON is parsed here once, and only for the batch, for the
    marts that read transactions.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='balance_transaction_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('balance_transaction_id', int_balance_transactions_with_payouts_batch) }}",
    post_hook="{{ close_batch('balance_transaction_id') }}",
) }}

with

balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transactions') }}
    where {{ in_batch('balance_transaction_id') }}

),

payout_bridge as (

    select * from {{ ref('stg_stripe__payout_balance_transactions') }}
    where {{ in_batch('balance_transaction_id') }}

),

{# found on the ids alone, so only these few payloads are parsed twice #}
missing_from_list as (

    select payout_bridge.balance_transaction_id from payout_bridge
    except
    select balance_transactions.balance_transaction_id from balance_transactions

),

listed_only_by_payout as (

    select payout_bridge.*
    from payout_bridge
    semi join missing_from_list
        on payout_bridge.balance_transaction_id = missing_from_list.balance_transaction_id

),

all_transactions as (

    select * from balance_transactions
    union all by name
    select * exclude (payout_id) from listed_only_by_payout

),

final as (

    select
        all_transactions.*,
        payout_bridge.payout_id
    from all_transactions
    left join payout_bridge
        on all_transactions.balance_transaction_id = payout_bridge.balance_transaction_id

)

select * from final
