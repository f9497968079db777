{{ config(unique_key='balance_transaction_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'balance_transactions'), only=batch_ids()) }}

),

renamed as (

    select
        {{ balance_transaction_fields() }}
    from source

)

select * from renamed
