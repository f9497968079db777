"""Metadata for dbt's outputs once dbt is done: row counts, and the latest month's payouts
per currency as numbers, which Dagster plots across materializations (Plots tab)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipeline.raw.warehouse import open_warehouse

LATEST_MONTH_TOTALS = """
    select currency, total_net, total_gross, payout_count
    from marts.transfers_monthly
    where account_id is null  -- the platform's own payouts
        and month = (select max(month) from marts.transfers_monthly)
    order by currency
"""


def mart_metadata(warehouse: Path, relations: dict[str, str]) -> dict:
    """`{output name: metadata}` for the given `{output name: schema.table}` relations."""
    metadata: dict[str, dict[str, Any]] = {}
    with open_warehouse(warehouse, read_only=True) as con:
        for name, relation in relations.items():
            rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
            metadata[name] = {"dagster/row_count": dg.MetadataValue.int(rows)}
            if relation == "marts.transfers_monthly":
                metadata[name].update(latest_month_totals(con))
    return metadata


def latest_month_totals(con: duckdb.DuckDBPyConnection) -> dict[str, dg.MetadataValue]:
    """The platform's payouts of the mart's latest month, per currency in its minor unit
    (cents for usd): `total_net_<currency>`, `total_gross_<currency>`, `payout_count_<currency>`;
    amounts of different currencies are never added."""
    month = con.execute("select max(month) from marts.transfers_monthly").fetchone()[0]
    metadata: dict[str, dg.MetadataValue] = {"latest_month": dg.MetadataValue.text(month or "")}
    for currency, net, gross, payouts in con.execute(LATEST_MONTH_TOTALS).fetchall():
        metadata[f"total_net_{currency}"] = dg.MetadataValue.int(net)
        metadata[f"total_gross_{currency}"] = dg.MetadataValue.int(gross)
        metadata[f"payout_count_{currency}"] = dg.MetadataValue.int(payouts)
    return metadata
