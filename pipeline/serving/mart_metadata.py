"""Metadata for dbt's outputs once dbt is done: row counts, the latest month's totals, the chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipeline.serving.transfers_chart import as_markdown_image, draw_chart, monthly_totals


def mart_metadata(warehouse: Path, reports_dir: Path, relations: dict[str, str]) -> dict:
    """`{output name: metadata}` for the given `{output name: schema.table}` relations."""
    metadata: dict[str, dict[str, Any]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, relation in relations.items():
            rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
            metadata[name] = {"dagster/row_count": dg.MetadataValue.int(rows)}
            if relation == "marts.transfers_monthly":
                metadata[name].update(_transfers_monthly(con, reports_dir))
    return metadata


def _transfers_monthly(con: duckdb.DuckDBPyConnection, reports_dir: Path) -> dict[str, Any]:
    latest = con.execute(
        "select * from marts.transfers_monthly where account_id is null"
        " and month = (select max(month) from marts.transfers_monthly) order by currency"
    ).df()
    chart = draw_chart(monthly_totals(con), reports_dir / "transfers_monthly.png")
    return {
        "latest_month_totals": dg.MetadataValue.md(latest.to_markdown(index=False)),
        "chart": dg.MetadataValue.md(as_markdown_image(chart)),
        "chart_path": dg.MetadataValue.path(str(chart)),
    }
