{#
    The categories a payout's transactions are summed into (django-stripe-payments'
    Transfer summary), in column order. `payout` (the payout's own
    transaction) is not one of them: it is what they add up to.
#}
{% macro fee_categories() -%}
    {{ return(['charge', 'refund', 'adjustment', 'validation', 'collected_fee', 'other',
               'unclassified']) }}
{%- endmacro %}
