{# Paid charges by UTC month of creation, per currency (and account). #}
with

charges as (

    select * from {{ ref('charges') }}
    where is_paid

),

final as (

    select
        created_month as month,
        currency,
        account_id,

        count(*) as charge_count,
        count(*) filter (where is_refunded) as refunded_charge_count,
        count(*) filter (where is_disputed) as disputed_charge_count,
        {{ sum_minor_units('amount') }} as total_amount,
        {{ sum_minor_units('fee') }} as total_fee,
        {{ sum_minor_units('amount_refunded') }} as total_refunded,
        {{ sum_minor_units('net') }} as total_net,
        {{ to_major_units('sum(amount)', 'currency') }} as total_amount_major

    from charges
    group by created_month, currency, account_id

)

select * from final
