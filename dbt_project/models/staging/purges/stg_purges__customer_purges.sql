with

source as (

    select * from {{ source('purges', 'customer_purges') }}

),

renamed as (

    select
        {# ids #}
        customer_id,

        {# timestamps #}
        min(purged_at) as purged_at

    from source
    group by customer_id

)

select * from renamed
