{#
    The latest row per Stripe id of a raw table. A raw table may hold several
    rows per id (the list row and event snapshots); the latest wins by
    (coalesce(event_created, epoch(extracted_at)), event_id), newest first,
    an event row winning a tie with a list row of the same second.
#}
{% macro latest_per_id(relation, id_column='id') -%}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ id_column }}
        order by
            coalesce(event_created, epoch(extracted_at)) desc,
            event_id desc nulls last
    ) = 1
{%- endmacro %}
