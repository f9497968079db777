{#
    The payout ↔ balance transaction bridge: one row per transaction of each
    automatic payout (a transaction is swept by one payout), including the
    payout's own `type = 'payout'` transaction. The payload is the
    transaction as listed with `?payout=`.
#}
{{ config(unique_key='balance_transaction_id', raw_id='balance_transaction_id') }}
with

source as (

    {{ latest_per_id(
        source('stripe', 'payout_balance_transactions'),
        'balance_transaction_id',
        only=batch_ids(),
    ) }}

),

renamed as (

    select
        payout_id,
        {{ balance_transaction_fields() }}
    from source

)

select * from renamed
