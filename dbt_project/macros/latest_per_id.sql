{#
    The latest row per Stripe id of a raw table. A raw table may hold several
    rows per id (the list row and event snapshots); the latest wins by
    (coalesce(event_created, epoch(extracted_at)), event_id), newest first,
    an event row winning a tie with a list row of the same second.
    On a table the winner is found over narrow columns and fetched by rowid,
    so the payloads are never sorted; `by_rowid=false` serves any relation.
#}
{% macro latest_per_id(relation, id_column='id', by_rowid=true) -%}
    {%- if by_rowid -%}
        select *
        from {{ relation }}
        where rowid in (
            select
                arg_max(
                    rowid,
                    (coalesce(event_created, epoch(extracted_at)), coalesce(event_id, ''))
                )
            from {{ relation }}
            group by {{ id_column }}
        )
    {%- else -%}
        select *
        from {{ relation }}
        qualify row_number() over (
            partition by {{ id_column }}
            order by
                coalesce(event_created, epoch(extracted_at)) desc,
                event_id desc nulls last
        ) = 1
    {%- endif -%}
{%- endmacro %}
