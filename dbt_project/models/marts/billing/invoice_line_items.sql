{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='invoice_line_item_id',
    on_schema_change='fail',
    pre_hook="{{ open_batch('invoice_line_item_id', invoice_line_items_batch) }}",
    post_hook="{{ close_batch('invoice_line_item_id') }}",
) }}

with

line_items as (

    select * from {{ ref('stg_stripe__invoice_line_items') }}
    where {{ in_batch('invoice_line_item_id') }}

),

invoices as (

    select * from {{ ref('invoices') }}

),

prices as (

    select * from {{ ref('stg_stripe__prices') }}

),

final as (

    select
        {# ids #}
        line_items.invoice_line_item_id,
        line_items.invoice_id,
        invoices.customer_id,
        line_items.subscription_id,
        line_items.subscription_item_id,
        line_items.invoiceitem_id,
        line_items.price_id,
        coalesce(line_items.product_id, prices.product_id) as product_id,
        line_items.discount_id,
        line_items.tax_rate_id,
        line_items.account_id,

        {# amounts, minor units of `currency`: negative for credits (prorations);
           net_amount = amount − discount_amount + exclusive_tax #}
        line_items.amount,
        line_items.discount_amount,
        line_items.exclusive_tax,
        line_items.inclusive_tax,
        line_items.amount - line_items.discount_amount + line_items.exclusive_tax
            as net_amount,
        line_items.currency,
        line_items.quantity,

        {# descriptive #}
        line_items.line_type,
        line_items.description,
        invoices.status as invoice_status,
        prices.recurring_interval,
        prices.recurring_interval_count,

        {# booleans #}
        line_items.is_proration,
        line_items.is_discountable,
        line_items.is_livemode,

        {# timestamps #}
        line_items.period_start_at,
        line_items.period_end_at,
        invoices.created_at as invoice_created_at

    from line_items
    left join invoices
        on line_items.invoice_id = invoices.invoice_id
    left join prices
        on line_items.price_id = prices.price_id

)

select * from final
