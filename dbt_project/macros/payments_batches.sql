{#
    Batches of the payments marts (see batches.sql): payment intents, refunds
    and disputes, each keyed by its own id.
#}

{% macro payment_intents_batch() -%}
    select payment_intent_id from {{ ref('stg_stripe__payment_intents') }}
    where {{ changed_since() }}
    union all
    {# its charges: counts, amounts captured, the successful one #}
    select payment_intent_id from {{ ref('stg_stripe__charges') }} where {{ changed_since() }}
    union all
    select payment_intent_id from {{ this }} where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys(
        'payment_intent_id',
        'select payment_intent_id from ' ~ ref('stg_stripe__payment_intents')
    ) }}
{%- endmacro %}

{% macro refunds_batch() -%}
    {%- set transactions = batch_keys('balance_transactions', 'balance_transaction_id') -%}
    {%- set refunds = ref('stg_stripe__refunds') -%}
    select refund_id from {{ refunds }} where {{ changed_since() }}
    union all
    {# the balance transaction it moved, before and now #}
    select refund_id from {{ this }} where balance_transaction_id in ({{ transactions }})
    union all
    select refund_id from {{ refunds }} where balance_transaction_id in ({{ transactions }})
    union all
    {# its charge (customer, amount) #}
    select refunds.refund_id from {{ refunds }} as refunds
    inner join {{ ref('stg_stripe__charges') }} as charges
        on refunds.charge_id = charges.charge_id
    where {{ changed_since('charges.extracted_at') }}
    union all
    select refund_id from {{ this }} where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('refund_id', 'select refund_id from ' ~ refunds) }}
{%- endmacro %}

{% macro disputes_batch() -%}
    select dispute_id from {{ ref('stg_stripe__disputes') }} where {{ changed_since() }}
    union all
    {# its withdrawal and reinstatement transactions #}
    select source_id as dispute_id from {{ ref('balance_transactions') }}
    where
        source_type = 'dispute'
        and balance_transaction_id in (
            {{ batch_keys('balance_transactions', 'balance_transaction_id') }}
        )
    union all
    {{ vanished_keys('dispute_id', 'select dispute_id from ' ~ ref('stg_stripe__disputes')) }}
{%- endmacro %}
