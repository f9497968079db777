{#
    The batch of each incremental model (see incremental.sql): the keys whose
    own row changed since the model's watermark, the keys whose joined rows
    did (through the old rows of `this` and the new rows upstream), and the
    keys of `this` whose row is gone upstream. Each is run by the model's
    pre-hook `open_batch`, before the model is built. A model refs in
    `-- depends_on:` lines what its batch reads and its body does not.
#}

{#-
    `returned` (default: `key`) of the rows of `this` whose `key` is no longer
    in `universe` (a query of `key`): what they were built from is gone.
-#}
{% macro vanished_keys(key, universe, returned=none) -%}
    select built.{{ returned or key }}
    from {{ this }} as built
    anti join ({{ universe }}) as still_there
        on built.{{ key }} = still_there.{{ key }}
    where built.{{ key }} is not null
{%- endmacro %}

{#- Customers purged since the watermark (their objects' payloads were blanked in place). -#}
{% macro purged_customers() -%}
    select customer_id from {{ ref('stg_stripe__customer_purges') }}
    where {{ changed_since('purged_at', 'purged_at') }}
{%- endmacro %}

{% macro int_balance_transactions_with_payouts_batch() -%}
    select balance_transaction_id from {{ ref('stg_stripe__balance_transactions') }}
    where {{ changed_since() }}
    union all
    select balance_transaction_id from {{ ref('stg_stripe__payout_balance_transactions') }}
    where {{ changed_since() }}
    union all
    {{ vanished_keys('balance_transaction_id',
        'select balance_transaction_id from ' ~ ref('stg_stripe__balance_transactions')
        ~ ' union all select balance_transaction_id from '
        ~ ref('stg_stripe__payout_balance_transactions')) }}
{%- endmacro %}

{% macro balance_transactions_batch() -%}
    {{ batch_keys('int_balance_transactions_with_payouts', 'balance_transaction_id') }}
    union all
    {# a payout's own transaction #}
    select balance_transaction_id from {{ ref('stg_stripe__payouts') }}
    where {{ changed_since() }}
    union all
    {# the charge of a refund's or a dispute's transaction #}
    select transactions.balance_transaction_id
    from {{ ref('int_balance_transactions_with_payouts') }} as transactions
    where transactions.source_id in (
        select refund_id from {{ ref('stg_stripe__refunds') }} where {{ changed_since() }}
        union all
        select dispute_id from {{ ref('stg_stripe__disputes') }} where {{ changed_since() }}
    )
    union all
    {{ vanished_keys('balance_transaction_id',
        'select balance_transaction_id from ' ~ ref('int_balance_transactions_with_payouts')) }}
{%- endmacro %}

{% macro transfer_charge_fees_batch() -%}
    {{ batch_keys('balance_transactions', 'balance_transaction_id') }}
{%- endmacro %}

{% macro invoices_batch() -%}
    select invoice_id from {{ ref('stg_stripe__invoices') }} where {{ changed_since() }}
    union all
    select invoice_id from {{ ref('stg_stripe__invoice_payments') }} where {{ changed_since() }}
    union all
    {# a charge of a payment intent that pays an invoice, old or new #}
    select payments.invoice_id
    from {{ ref('stg_stripe__invoice_payments') }} as payments
    where payments.payment_intent_id in (
        select payment_intent_id from {{ ref('stg_stripe__charges') }}
        where {{ changed_since() }} and payment_intent_id is not null
    )
    union all
    select invoice_id from {{ this }}
    where charge_id in (
        select charge_id from {{ ref('stg_stripe__charges') }} where {{ changed_since() }}
    )
    union all
    select invoice_id from {{ this }} where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('invoice_id', 'select invoice_id from ' ~ ref('stg_stripe__invoices')) }}
{%- endmacro %}

{% macro invoice_line_items_batch() -%}
    {%- set invoices = batch_keys('invoices', 'invoice_id') -%}
    select invoice_line_item_id from {{ ref('stg_stripe__invoice_line_items') }}
    where {{ changed_since() }} or invoice_id in ({{ invoices }})
    union all
    select invoice_line_item_id from {{ this }} where invoice_id in ({{ invoices }})
    union all
    {# a price changed, or gone #}
    select invoice_line_item_id from {{ this }}
    where price_id in (
        select price_id from {{ ref('stg_stripe__prices') }} where {{ changed_since() }}
    )
    union all
    {{ vanished_keys('price_id', 'select price_id from ' ~ ref('stg_stripe__prices'),
        'invoice_line_item_id') }}
{%- endmacro %}

{% macro subscriptions_batch() -%}
    with changed as (

        select subscription_id, customer_id from {{ ref('stg_stripe__subscriptions') }}
        where {{ changed_since() }}

    ),

    gone as (

        {{ vanished_keys('subscription_id',
            'select subscription_id from ' ~ ref('stg_stripe__subscriptions')) }}

    ),

    {# which subscription is a customer's current one: all of theirs again #}
    customers as (

        select customer_id from changed
        union all
        select customer_id from {{ this }}
        where subscription_id in (
            select subscription_id from changed
            union all
            select subscription_id from gone
        )

    )

    select subscription_id from changed
    union all
    select subscription_id from gone
    union all
    select subscription_id from {{ this }}
    where customer_id in (select customer_id from customers)
    union all
    {# a price or a product changed, or gone #}
    select subscription_id from {{ this }}
    where
        price_id in (
            select price_id from {{ ref('stg_stripe__prices') }} where {{ changed_since() }}
        )
        or product_id in (
            select product_id from {{ ref('stg_stripe__products') }}
            where {{ changed_since() }}
        )
    union all
    {{ vanished_keys('price_id', 'select price_id from ' ~ ref('stg_stripe__prices'),
        'subscription_id') }}
    union all
    {{ vanished_keys('product_id', 'select product_id from ' ~ ref('stg_stripe__products'),
        'subscription_id') }}
{%- endmacro %}

{% macro charges_batch() -%}
    {%- set invoices = batch_keys('invoices', 'invoice_id') -%}
    select charge_id from {{ ref('stg_stripe__charges') }} where {{ changed_since() }}
    union all
    {# its balance transaction #}
    select charge_id from {{ this }}
    where balance_transaction_id in (
        {{ batch_keys('balance_transactions', 'balance_transaction_id') }}
    )
    union all
    {# the invoice it paid, before and now #}
    select charge_id from {{ this }} where invoice_id in ({{ invoices }})
    union all
    select charge_id from {{ ref('invoices') }} where invoice_id in ({{ invoices }})
    union all
    select charge_id from {{ this }} where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('charge_id', 'select charge_id from ' ~ ref('stg_stripe__charges')) }}
{%- endmacro %}

{% macro customers_batch() -%}
    select customer_id from {{ ref('stg_stripe__customers') }} where {{ changed_since() }}
    union all
    {# the last card charged, the currencies charged #}
    select customer_id from {{ ref('charges') }}
    where charge_id in ({{ batch_keys('charges', 'charge_id') }})
    union all
    {# the current subscription #}
    select customer_id from {{ ref('subscriptions') }}
    where subscription_id in ({{ batch_keys('subscriptions', 'subscription_id') }})
    union all
    {{ purged_customers() }}
    union all
    {{ vanished_keys('customer_id', 'select customer_id from ' ~ ref('stg_stripe__customers')) }}
{%- endmacro %}

{% macro connect_transfers_batch() -%}
    select transfer_id from {{ ref('stg_stripe__transfers') }} where {{ changed_since() }}
    union all
    {{ vanished_keys('transfer_id', 'select transfer_id from ' ~ ref('stg_stripe__transfers')) }}
{%- endmacro %}

{#- A transaction belongs to one payout for good: its payout now is the one to rebuild. -#}
{% macro transfers_batch() -%}
    select payout_id from {{ ref('stg_stripe__payouts') }} where {{ changed_since() }}
    union all
    select payout_id from {{ ref('balance_transactions') }}
    where balance_transaction_id in (
        {{ batch_keys('balance_transactions', 'balance_transaction_id') }}
    )
    union all
    {{ vanished_keys('payout_id', 'select payout_id from ' ~ ref('stg_stripe__payouts')) }}
{%- endmacro %}
