{#
    Listed per session (/v1/checkout/sessions/{id}/line_items): a line names no
    session, so the raw row carries it (`checkout_session_id`); its `created`
    is the session's.
#}
{{ config(unique_key='checkout_session_line_item_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'checkout_session_line_items'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as checkout_session_line_item_id,
        checkout_session_id,
        {{ stripe_id('obj.price.id') }} as price_id,
        {{ stripe_id('obj.price.product') }} as product_id,
        account as account_id,

        {# amounts: minor units of `currency`; total = subtotal − discount + tax #}
        obj.quantity,
        obj.amount_subtotal,
        obj.amount_discount,
        obj.amount_tax,
        obj.amount_total,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.description,

        {# booleans #}
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as session_created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
