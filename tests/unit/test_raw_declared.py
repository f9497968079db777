"""Every raw table dbt reads exists once declared, empty; loaded tables keep their rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from pipeline.extract.schema import raw_schema
from pipeline.raw.declared import declare_raw_tables
from pipeline.raw.partition import write_partition

STAGING = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"
SOURCES = STAGING / "stripe" / "_stripe__sources.yml"


def raw_stripe_sources() -> set[str]:
    """The tables dbt's sources read in `raw_stripe`, but the purge register (synced by
    each build itself)."""
    sources = yaml.safe_load(SOURCES.read_text())["sources"]
    return {t["name"] for s in sources if s["schema"] == "raw_stripe" for t in s["tables"]} - {
        "customer_purges"
    }


MAY = 1714521600  # 2024-05-01T00:00:00Z


def charges(*ids: str) -> pa.Table:
    rows = [{"id": i, "created": MAY + 5, "month": "2024-05", "payload": f'{{"id":"{i}"}}'}
            for i in ids]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=raw_schema("charges"))


def raw_tables_in(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse)) as con:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_stripe'"
        ).fetchall()
        return {n: con.execute(f"select count(*) from raw_stripe.{n}").fetchone()[0]
                for (n,) in names}  # fmt: skip


def test_a_fresh_warehouse_gets_every_source_table_empty(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    declare_raw_tables(warehouse)
    declared = raw_tables_in(warehouse)
    assert raw_stripe_sources() <= set(declared)
    assert set(declared.values()) == {0}


def test_declaring_again_keeps_what_was_loaded(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_partition(tmp_path / "raw", warehouse, "charges", "2024-05", charges("ch_a", "ch_b"))
    declare_raw_tables(warehouse)
    declare_raw_tables(warehouse)
    declared = raw_tables_in(warehouse)
    assert declared["charges"] == 2
    assert declared["disputes"] == 0
