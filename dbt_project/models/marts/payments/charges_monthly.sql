{#
    Paid charges by UTC month of creation, per currency and settlement currency
    (and account): amounts in `currency`, fees and net in `settlement_currency`.
#}
with

charges as (

    select * from {{ ref('charges') }}
    where is_paid

),

final as (

    select
        created_month as month,
        currency,
        settlement_currency,
        account_id,

        count(*) as charge_count,
        count(*) filter (where is_refunded) as refunded_charge_count,
        count(*) filter (where is_disputed) as disputed_charge_count,
        {# minor units of `currency` #}
        {{ sum_minor_units('amount') }} as total_amount,
        {# an uncaptured or partly captured authorization is paid; only the
           captured part is money #}
        {{ sum_minor_units('amount_captured') }} as total_amount_captured,
        {{ sum_minor_units('amount_refunded') }} as total_refunded,
        {{ to_major_units('sum(amount)', 'currency') }} as total_amount_major,

        {# minor units of `settlement_currency` #}
        {{ sum_minor_units('settlement_amount') }} as total_settlement_amount,
        {{ sum_minor_units('fee') }} as total_fee,
        {{ sum_minor_units('net') }} as total_net

    from charges
    group by created_month, currency, settlement_currency, account_id

)

select * from final
