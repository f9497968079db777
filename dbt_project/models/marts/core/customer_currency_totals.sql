with

charges as (

    select * from {{ ref('charges') }}
    where is_paid and customer_id is not null

),

final as (

    select
        customer_id,
        currency,
        account_id,

        count(*) as charge_count,
        {{ sum_minor_units('amount_captured') }} as total_charged,
        {{ sum_minor_units('amount_refunded') }} as total_refunded,
        {{ sum_minor_units('fee') }} as total_fees,
        {{ sum_minor_units('amount_captured - amount_refunded - coalesce(fee, 0)') }}
            as total_net,
        min(created_at) as first_charged_at,
        max(created_at) as last_charged_at

    from charges
    group by customer_id, currency, account_id

)

select * from final
