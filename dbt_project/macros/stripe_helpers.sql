{#
    An expandable field holds an id or, when expanded, the object: return
    the id either way.
#}
{% macro stripe_id(expression) -%}
    case
        when left({{ expression }}, 1) = '{'
            then json_extract_string({{ expression }}, '$.id')
        else {{ expression }}
    end
{%- endmacro %}

{# Unix seconds as Stripe sends them → timestamptz (an instant, UTC). #}
{% macro stripe_timestamp(expression) -%}
    to_timestamp({{ expression }})
{%- endmacro %}

{# The UTC month ('YYYY-MM') of Unix seconds, whatever the session time zone. #}
{% macro stripe_month(expression) -%}
    strftime(make_timestamp(cast({{ expression }} as bigint) * 1000000), '%Y-%m')
{%- endmacro %}

{# The UTC calendar date of Unix seconds, whatever the session time zone. #}
{% macro stripe_date(expression) -%}
    cast(make_timestamp(cast({{ expression }} as bigint) * 1000000) as date)
{%- endmacro %}
