{#
    The one conversion from Stripe's minor units to major units, by the
    currency's exponent in the `currencies` seed (JPY, KRW, … are
    zero-decimal: ¥500 is 500, not 5.00). An unknown currency gives null,
    never a guessed divisor. Exact: at most 3 decimals.
#}
{% macro to_major_units(amount, currency) -%}
    cast(
        {{ amount }}
        / (
            select power(10, currencies.minor_unit_exponent)
            from {{ ref('currencies') }} as currencies
            where currencies.code = lower({{ currency }})
        ) as decimal(38, 3)
    )
{%- endmacro %}
