"""Balance snapshots: one row per `GET /v1/balance` fetch, Parquet + `raw_stripe`.

Each snapshot is a Parquet file of one row under
`data/raw/stripe/balance_snapshots/`, written beside and renamed in; then every
file not yet in `raw_stripe.balance_snapshots` is inserted in one transaction
(so a crash between the two is repaired by the next write). `snapshot_id` is
unique per fetch: a row is never inserted twice, a second fetch adds a second.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.raw.files import remove_stale_temps, replace_atomically, temp_path_for
from pipeline.raw.warehouse import Warehouse, connected, transaction

TABLE = "balance_snapshots"
SCHEMA = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("taken_at", pa.timestamp("us", tz="UTC")),
        ("extracted_at", pa.timestamp("us", tz="UTC")),
        ("account", pa.string()),
        ("livemode", pa.bool_()),
        ("api_version", pa.string()),
        ("payload", pa.string()),
    ]
)
CREATE_TABLE = f"""create table if not exists raw_stripe.{TABLE} (
    snapshot_id varchar not null, taken_at timestamptz, extracted_at timestamptz,
    account varchar, livemode boolean, api_version varchar, payload varchar)"""


def snapshots_dir(raw_dir: Path) -> Path:
    return Path(raw_dir) / "stripe" / TABLE


def snapshot_row(
    balance: dict[str, Any],
    *,
    taken_at: datetime,
    extracted_at: datetime,
    account: str | None,
    api_version: str,
) -> dict[str, Any]:
    """The raw row of one fetch, with a new `snapshot_id`."""
    return {
        "snapshot_id": f"bsnap_{extracted_at:%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:16]}",
        "taken_at": taken_at,
        "extracted_at": extracted_at,
        "account": account,
        "livemode": bool(balance.get("livemode")),
        "api_version": api_version,
        "payload": orjson.dumps(balance).decode(),
    }


def write_snapshot(row: dict[str, Any], raw_dir: Path, warehouse: Warehouse) -> Path:
    """The row's Parquet file (atomic), then the warehouse; the file written."""
    folder = snapshots_dir(raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{row['snapshot_id']}.parquet"
    remove_stale_temps(folder, target.name)
    tmp = temp_path_for(target)
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMA), tmp)
    replace_atomically(tmp, target)
    load_snapshots(raw_dir, warehouse)
    return target


def load_snapshots(raw_dir: Path, warehouse: Warehouse) -> int:
    """Insert every snapshot file not yet in the table, in one transaction; how many."""
    files = sorted(str(p) for p in snapshots_dir(raw_dir).glob("*.parquet"))
    with connected(warehouse) as con, transaction(con):
        con.execute("create schema if not exists raw_stripe")
        con.execute(CREATE_TABLE)
        added = 0
        if files:
            added = con.execute(
                f"insert into raw_stripe.{TABLE} by name"
                " select * from read_parquet(?, union_by_name = true) as f"
                f" where f.snapshot_id not in (select snapshot_id from raw_stripe.{TABLE})",
                [files],
            ).fetchone()[0]
    return added
