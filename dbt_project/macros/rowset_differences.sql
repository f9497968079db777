{#
    The rows of `expected` missing from `actual` and those of `actual` not in
    `expected` (both CTE names, same columns), tagged by side: an empty result
    means the two agree to the cent. Ends a `with` started by the caller.
#}
{% macro rowset_differences(expected, actual) -%}
missing_from_actual as (

    select * from {{ expected }}
    except
    select * from {{ actual }}

),

unexpected_in_actual as (

    select * from {{ actual }}
    except
    select * from {{ expected }}

),

differences as (

    select
        'expected' as side,
        *
    from missing_from_actual
    union all
    select
        'actual' as side,
        *
    from unexpected_in_actual

)

select * from differences
{%- endmacro %}
