{#
    Batches of the billing marts added with issue 13 (see batches.sql): the
    keys whose own row changed, whose joined rows did, and whose rows are gone.
#}

{#- Items listed again, and every item of a subscription rebuilt in this run. -#}
{% macro subscription_items_batch() -%}
    {%- set subscriptions = batch_keys('subscriptions', 'subscription_id') -%}
    select subscription_item_id from {{ ref('stg_stripe__subscription_items') }}
    where {{ changed_since() }} or subscription_id in ({{ subscriptions }})
    union all
    select subscription_item_id from {{ this }} where subscription_id in ({{ subscriptions }})
    union all
    select subscription_item_id from {{ this }}
    where product_id in (
        select product_id from {{ ref('stg_stripe__products') }} where {{ changed_since() }}
    )
    union all
    {{ vanished_keys('subscription_item_id',
        'select subscription_item_id from ' ~ ref('stg_stripe__subscription_items')) }}
{%- endmacro %}
