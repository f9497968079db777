{#
    django-stripe-payments' `paid_totals_for(year, month)`: paid payouts by UTC arrival
    month, per currency (and account), never adding currencies together.
#}
with

transfers as (

    select * from {{ ref('transfers') }}
    where is_paid

),

final as (

    select
        arrival_month as month,
        currency,
        account_id,

        count(*) as payout_count,
        count(*) filter (where is_itemized) as itemized_payout_count,
        count(*) filter (where not is_itemized) as unitemized_payout_count,
        count(*) filter (where is_manual) as manual_payout_count,

        {# django-stripe-payments' aggregates #}
        {{ sum_minor_units('charge_gross') }} as total_gross,
        {{ sum_minor_units('net') }} as total_net,
        {{ sum_minor_units('charge_fees') }} as total_charge_fees,
        {{ sum_minor_units('adjustment_fees') }} as total_adjustment_fees,
        {{ sum_minor_units('refund_gross') }} as total_refund_gross,
        {{ sum_minor_units('refund_fees') }} as total_refund_fees,
        {{ sum_minor_units('validation_fees') }} as total_validation_fees,
        {{ sum_minor_units('amount') }} as total_amount,
        {{ sum_minor_units('amount', 'is_itemized') }} as total_itemized_amount,

        {# every other category total, so that net = Σ gross − Σ fees can be checked #}
        {% set origin_columns = [
            'charge_gross', 'charge_fees', 'adjustment_fees', 'refund_gross',
            'refund_fees', 'validation_fees'
        ] %}
        {% for category in fee_categories() %}
            {{ sum_minor_units(category ~ '_count') }} as total_{{ category }}_count,
            {% for measure in ['gross', 'fees'] %}
                {% set column = category ~ '_' ~ measure %}
                {% if column not in origin_columns %}
                    {{ sum_minor_units(column) }} as total_{{ column }},
                {% endif %}
            {% endfor %}
        {% endfor %}
        {{ to_major_units('sum(amount)', 'currency') }} as total_amount_major

    from transfers
    group by arrival_month, currency, account_id

)

select * from final
