{#
    Batches of the credits marts (see batches.sql): the keys whose own row
    changed, whose joined rows did (a note's balance transaction, a line's
    note), those naming a customer purged since, and those whose rows are gone.
#}

{% macro credit_notes_batch() -%}
    select credit_note_id from {{ ref('stg_stripe__credit_notes') }} where {{ changed_since() }}
    union all
    {# its customer balance transaction #}
    select credit_note_id from {{ ref('stg_stripe__customer_balance_transactions') }}
    where {{ changed_since() }} and credit_note_id is not null
    union all
    select credit_note_id from {{ this }} where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('credit_note_id',
        'select credit_note_id from ' ~ ref('stg_stripe__credit_notes')) }}
{%- endmacro %}

{% macro credit_note_lines_batch() -%}
    {%- set notes -%}
        select credit_note_id from {{ ref('stg_stripe__credit_notes') }}
        where {{ changed_since() }}
    {%- endset -%}
    select credit_note_line_item_id from {{ ref('stg_stripe__credit_note_line_items') }}
    where {{ changed_since() }} or credit_note_id in ({{ notes }})
    union all
    select credit_note_line_item_id from {{ this }}
    where credit_note_id in ({{ notes }}) or customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('credit_note_line_item_id',
        'select credit_note_line_item_id from ' ~ ref('stg_stripe__credit_note_line_items')) }}
{%- endmacro %}

{% macro customer_balance_transactions_batch() -%}
    {%- set notes -%}
        select credit_note_id from {{ ref('stg_stripe__credit_notes') }}
        where {{ changed_since() }}
    {%- endset -%}
    select customer_balance_transaction_id
    from {{ ref('stg_stripe__customer_balance_transactions') }}
    where {{ changed_since() }} or credit_note_id in ({{ notes }})
    union all
    select customer_balance_transaction_id from {{ this }}
    where customer_id in ({{ purged_customers() }})
    union all
    {{ vanished_keys('customer_balance_transaction_id',
        'select customer_balance_transaction_id from '
        ~ ref('stg_stripe__customer_balance_transactions')) }}
{%- endmacro %}
