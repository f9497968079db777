{#
    The latest row per Stripe id of a raw table. A raw table may hold several
    rows per id (the list row and event snapshots); the newest wins by the
    version of `pipeline.raw.versions`:
    (coalesce(event_created, epoch(extracted_at)), coalesce(event_id, '')),
    so an event row wins a tie with a list row of the same instant
    (tests/unit/test_snapshot_versions.py holds this to the Python rule).
    The winner is found over narrow columns and fetched by rowid, so the
    payloads are never sorted; `relation` is a table (every raw source is).
    With `only` (a query of ids), only those ids are kept, their winner still
    chosen over all of their rows: an incremental staging model's batch.
#}
{% macro latest_per_id(relation, id_column='id', only=none) -%}
    select *
    from {{ relation }}
    where rowid in (
        select
            arg_max(
                rowid,
                (coalesce(event_created, epoch(extracted_at)), coalesce(event_id, ''))
            )
        from {{ relation }}
        where {{ id_column ~ ' in (' ~ only ~ ')' if only is not none else 'true' }}
        group by {{ id_column }}
    )
{%- endmacro %}
