with

charges as (

    select * from {{ ref('charges') }}
    where is_paid and customer_id is not null

),

final as (

    select
        customer_id,
        currency,
        settlement_currency,
        account_id,

        count(*) as charge_count,

        {# minor units of `currency` #}
        {{ sum_minor_units('amount_captured') }} as total_charged,
        {{ sum_minor_units('amount_refunded') }} as total_refunded,
        {{ sum_minor_units('amount_captured - amount_refunded') }} as total_net,

        {# minor units of `settlement_currency` #}
        {{ sum_minor_units('settlement_amount') }} as total_settled,
        {{ sum_minor_units('fee') }} as total_fees,
        {{ sum_minor_units('net') }} as total_settled_net,

        min(created_at) as first_charged_at,
        max(created_at) as last_charged_at

    from charges
    group by customer_id, currency, settlement_currency, account_id

)

select * from final
