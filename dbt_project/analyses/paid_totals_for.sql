{#
    The origin's `paid_totals_for(year, month)`: per currency, the totals of
    the payouts paid in a UTC month (never added across currencies).
        dbt compile --select paid_totals_for --vars '{year: 2024, month: 3}'

    It names the mart as data/marts.duckdb holds it (a plain table name, no
    database or schema), so the compiled SQL runs as it is in `make sql`; the
    ref() keeps the analysis in dbt's lineage.
#}
select
    currency,
    total_gross,
    total_net,
    total_charge_fees,
    total_adjustment_fees,
    total_refund_gross,
    total_refund_fees,
    total_validation_fees,
    total_amount
from {{ ref('transfers_monthly').identifier }}
where
    month = printf('%04d-%02d', {{ var('year', 2024) }}, {{ var('month', 3) }})
    and account_id is null
order by currency
