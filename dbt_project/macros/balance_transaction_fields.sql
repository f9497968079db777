{#
    A balance transaction's typed column (`obj`, the catalogue's
    BALANCE_TRANSACTION_FIELDS) renamed, shared by the balance transactions
    list and the payout bridge (whose payload is the same object, listed with
    `?payout=`).
#}
{% macro balance_transaction_fields() -%}
    {# ids #}
    id as balance_transaction_id,
    {{ stripe_id('obj.source') }} as source_id,
    account as account_id,

    {# amounts, minor units of `currency`: amount is gross (signed: money in is
       positive), fee is what Stripe kept (positive = a cost), net = amount - fee #}
    obj.amount,
    obj.fee,
    obj.net,
    lower(obj.currency) as currency,
    obj.exchange_rate,
    coalesce(obj.fee_details, []) as fee_details,

    {# descriptive #}
    obj.type as balance_transaction_type,
    obj.reporting_category,
    obj.status,
    obj.description,

    {# booleans #}
    coalesce(obj.livemode, livemode) as is_livemode,
    is_deleted,

    {# timestamps #}
    {{ stripe_timestamp('created') }} as created_at,
    {{ stripe_timestamp('obj.available_on') }} as available_at,
    extracted_at,
    api_version
{%- endmacro %}
