with

source as (

    {{ latest_per_id(source('stripe', 'balance_transactions')) }}

),

renamed as (

    select
        {{ balance_transaction_fields() }}
    from source

)

select * from renamed
