"""What a purge refuses before it records anything: ids Stripe could not have
issued, and customers this warehouse has never seen (a typo would otherwise be
recorded for good and blank nothing). `--force` lets an unseen, well-formed id
through, e.g. a customer known to arrive later in an event.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.raw.blanking import quoted
from pipeline.raw.warehouse import open_warehouse, warehouse_exists
from pipeline.stripe_ids import is_customer_id


class PurgeRefused(ValueError):
    """A purge that was not done, and why, in one line."""


def check_customer_id(customer_id: str) -> None:
    if not is_customer_id(customer_id):
        raise PurgeRefused(
            f"{customer_id!r} is not a Stripe customer id (cus_ followed by letters and digits)"
        )


def raw_tables_present(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The monthly `raw_stripe` tables that hold payloads: every object table, not the
    purge register nor the balance snapshots (a balance names no customer)."""
    return [t for (t,) in con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw_stripe'"
        " and column_name in ('payload', 'month') group by table_name"
        " having count(*) = 2 order by table_name"
    ).fetchall()]  # fmt: skip


def warehouse_has_seen(con: duckdb.DuckDBPyConnection, customer_id: str) -> bool:
    """Whether any raw payload or stored event names the customer."""
    token = quoted(customer_id)
    sources = [f"raw_stripe.{table}" for table in raw_tables_present(con)]
    exists = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'events' and table_name = 'events'"
    ).fetchone()[0]
    checks = [f"select 1 from {s} where contains(payload, $token)" for s in sources]
    if exists:
        checks.append("select 1 from events.events where contains(payload_received, $token)")
    return any(
        con.execute(f"select exists ({check})", {"token": token}).fetchone()[0] for check in checks
    )


def refuse_unseen(customer_id: str) -> PurgeRefused:
    return PurgeRefused(
        f"{customer_id} was never seen in this warehouse (no raw payload or event names it);"
        " check the id, or pass --force to record the purge anyway"
    )


def check_purge(warehouse: Path, customer_id: str, *, force: bool = False) -> None:
    """Everything `purge_customer` refuses, checked read-only (before Dagster starts)."""
    check_customer_id(customer_id)
    if force:
        return
    if not warehouse_exists(warehouse):
        raise refuse_unseen(customer_id)
    with open_warehouse(warehouse, read_only=True) as con:
        if not warehouse_has_seen(con, customer_id):
            raise refuse_unseen(customer_id)
