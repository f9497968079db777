with

source as (

    {{ latest_per_id(source('stripe', 'balance_transactions')) }}

),

parsed as (

    select
        *,
        {{ parse_balance_transaction() }} as obj
    from source

),

renamed as (

    select
        {{ balance_transaction_fields() }}
    from parsed

)

select * from renamed
