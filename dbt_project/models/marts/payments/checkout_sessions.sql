{#
    One row per Checkout Session, with its line items summed and the
    PaymentIntent that took its payment.
#}
with

sessions as (

    select * from {{ ref('stg_stripe__checkout_sessions') }}
    where not is_deleted

),

line_items as (

    select
        checkout_session_id,
        count(*) as line_item_count,
        coalesce(sum(quantity), 0) as total_quantity,
        {{ sum_minor_units('amount_discount') }} as total_line_discount,
        {{ sum_minor_units('amount_tax') }} as total_line_tax
    from {{ ref('stg_stripe__checkout_session_line_items') }}
    where not is_deleted
    group by 1

),

final as (

    select
        sessions.checkout_session_id,
        sessions.customer_id,
        sessions.payment_intent_id,
        sessions.account_id,
        sessions.mode,
        sessions.status,
        sessions.payment_status,
        {# minor units of `currency` #}
        sessions.amount_subtotal,
        sessions.amount_total,
        sessions.currency,
        coalesce(line_items.line_item_count, 0) as line_item_count,
        coalesce(line_items.total_quantity, 0) as total_quantity,
        coalesce(line_items.total_line_discount, 0) as total_line_discount,
        coalesce(line_items.total_line_tax, 0) as total_line_tax,
        sessions.status = 'complete' as is_complete,
        sessions.is_livemode,
        sessions.created_at,
        sessions.expires_at

    from sessions
    left join line_items
        on sessions.checkout_session_id = line_items.checkout_session_id

)

select * from final
