{#
    Every reference a `relationships` test checks, as (model, column,
    referenced model, referenced column): the rows of the
    `dangling_references` mart. A unit test keeps it equal to the YAML tests.
#}
{% macro checked_references() -%}
    {{ return([
        ('subscriptions', 'customer_id', 'customers', 'customer_id'),
        ('invoices', 'customer_id', 'customers', 'customer_id'),
        ('invoices', 'subscription_id', 'subscriptions', 'subscription_id'),
        ('invoices', 'charge_id', 'charges', 'charge_id'),
        ('invoice_line_items', 'invoice_id', 'invoices', 'invoice_id'),
        ('subscription_items', 'subscription_id', 'subscriptions', 'subscription_id'),
        ('charges', 'customer_id', 'customers', 'customer_id'),
        ('charges', 'invoice_id', 'invoices', 'invoice_id'),
        ('charges', 'currency', 'currencies', 'code'),
        ('balance_transactions', 'payout_id', 'transfers', 'payout_id'),
        ('balance_transactions', 'charge_id', 'charges', 'charge_id'),
        ('balance_transactions', 'currency', 'currencies', 'code'),
        ('transfer_charge_fees', 'payout_id', 'transfers', 'payout_id'),
        ('transfer_charge_fees', 'balance_transaction_id', 'balance_transactions',
         'balance_transaction_id'),
        ('customers', 'current_subscription_id', 'subscriptions', 'subscription_id'),
        ('customer_currency_totals', 'customer_id', 'customers', 'customer_id'),
        ('payment_intents', 'latest_charge_id', 'charges', 'charge_id'),
        ('refunds', 'charge_id', 'charges', 'charge_id'),
        ('refunds', 'balance_transaction_id', 'balance_transactions', 'balance_transaction_id'),
        ('disputes', 'charge_id', 'charges', 'charge_id'),
        ('credit_notes', 'invoice_id', 'invoices', 'invoice_id'),
        ('credit_note_lines', 'credit_note_id', 'credit_notes', 'credit_note_id'),
    ]) }}
{%- endmacro %}
