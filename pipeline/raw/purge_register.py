"""The purge register: who was purged and when, append-only, kept across re-syncs."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

REGISTER = Path("purges") / "purges.jsonl"


class PurgeRegister:
    """`<data_dir>/purges/purges.jsonl`, one line per purge."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / REGISTER

    def add(self, customer_id: str, purged_at: datetime | None = None) -> dict:
        record = {"customer_id": customer_id,
                  "purged_at": (purged_at or datetime.now(UTC)).isoformat()}  # fmt: skip
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return record

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip().endswith("}")]

    def customer_ids(self) -> frozenset[str]:
        return frozenset(r["customer_id"] for r in self.records())


def sync_to_warehouse(register: PurgeRegister, con) -> int:
    """Copy the register into `raw_stripe.customer_purges` (dbt's source); its rows."""
    records = register.records()
    con.execute("create schema if not exists raw_stripe")
    con.execute(
        "create or replace table raw_stripe.customer_purges"
        " (customer_id varchar not null, purged_at timestamptz not null)"
    )
    if records:
        con.executemany(
            "insert into raw_stripe.customer_purges values (?, ?)",
            [(r["customer_id"], datetime.fromisoformat(r["purged_at"])) for r in records],
        )
    return len(records)
