{#
    Sum of an amount in minor units, as a bigint (DuckDB widens sums of
    bigints to int128), 0 over no rows, optionally over the rows matching
    `condition` only. Callers group by currency: never sum across currencies.
#}
{% macro sum_minor_units(expression, condition=none) -%}
    {%- set filter_clause = ' filter (where ' ~ condition ~ ')' if condition else '' -%}
    coalesce(cast(sum({{ expression }}){{ filter_clause }} as bigint), 0)
{%- endmacro %}
