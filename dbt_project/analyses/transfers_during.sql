{#
    The origin's `Transfer.during(year, month)`: the payouts that arrived in a
    UTC month, with their summaries.
        dbt compile --select transfers_during --vars '{year: 2024, month: 3}'

    It names the mart as data/marts.duckdb holds it (a plain table name, no
    database or schema), so the compiled SQL runs as it is in `make sql`; the
    ref() keeps the analysis in dbt's lineage.
#}
select *
from {{ ref('transfers').identifier }}
where arrival_month = printf('%04d-%02d', {{ var('year', 2024) }}, {{ var('month', 3) }})
order by arrival_at, payout_id
