"""What `make run` prints: raw counts against the account's, events, dangling
references, monthly totals, the latest month's balance against the snapshot."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.defs.resources import WarehouseResource
from pipeline.raw.loader import raw_tables
from stripe_sandbox.starter import account_counts


def raw_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Distinct live platform objects per raw table."""
    return {
        table: con.execute(
            f"select count(distinct id) from raw_stripe.{table}"
            " where account is null and not is_deleted"
        ).fetchone()[0]
        for table in raw_tables()
    }


def dangling_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """How many references dangle (`marts.dangling_references`), then one line per one."""
    try:
        rows = con.execute(
            "select reference, dangling_row_count, dangling_id_count, example_ids"
            " from marts.dangling_references"
        ).fetchall()
    except duckdb.CatalogException:
        return ["Dangling references: not known (marts.dangling_references was not built)"]
    dangling = [r for r in rows if r[1]]
    note = " (counted, not fatal; marts.dangling_references):" if dangling else ""
    lines = [f"Dangling references: {len(dangling)} of {len(rows)} references dangle{note}"]
    for reference, count, ids, examples in dangling:
        lines.append(
            f"  {reference}: {count} rows, {ids} missing ids, e.g. {', '.join(examples[:3])}"
        )
    return lines


BALANCE_SQL = """
select summary.currency, summary.period_start, summary.starting_balance,
    summary.activity_net, summary.total_payouts, summary.ending_balance,
    snapshot.snapshot_balance
from marts.balance_summary as summary
left join (
    select currency, snapshot_balance from marts.balance_snapshots
    where is_latest and account_id is null
) as snapshot on summary.currency = snapshot.currency
where summary.period_grain = 'month' and summary.is_latest_period
    and summary.account_id is null
order by summary.currency
"""
BALANCE_HEADER = (
    "currency", "month", "starting_balance", "activity_net", "total_payouts",
    "ending_balance", "snapshot_balance",
)  # fmt: skip


def balance_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per currency the latest month of `marts.balance_summary` next to the latest
    snapshot's available + pending (minor units), and whether they are equal."""
    title = "Balance, latest month (minor units)"
    try:
        rows = con.execute(BALANCE_SQL).fetchall()
    except duckdb.CatalogException:
        return [f"{title}: not known (marts.balance_summary or marts.balance_snapshots missing)"]
    if not rows:
        return [f"{title}: no balance transactions"]
    lines = [f"{title}:", " ".join(f"{h:>16}" for h in BALANCE_HEADER) + "  equal"]
    for currency, start, *amounts, snapshot in rows:
        equal = "-" if snapshot is None else ("yes" if snapshot == amounts[-1] else "NO")
        cells = [currency, f"{start:%Y-%m}", *amounts, "-" if snapshot is None else snapshot]
        lines.append(" ".join(f"{c:>16}" for c in cells) + f"  {equal:>5}")
    return lines


def print_report(warehouse: WarehouseResource, sandbox: object | None) -> None:
    expected = account_counts(sandbox.account_path) if sandbox is not None else {}
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        counts = raw_counts(con)
        statuses = con.execute(
            "select status, count(*) from events.events group by 1 order by 1"
        ).fetchall()
        exceptions = con.execute(
            "select stage, count(*) from events.event_processing_exceptions group by 1 order by 1"
        ).fetchall()
        monthly = con.execute(
            "select month, currency, payout_count, total_gross, total_charge_fees,"
            " total_refund_gross, total_adjustment_fees, total_net, total_amount"
            " from marts.transfers_monthly where account_id is null"
            " order by month desc, currency limit 9"
        ).df()
        dangling = dangling_lines(con)
        balance = balance_lines(con)
    print(f"\n{'raw table':30} {'objects':>9} {'in account':>11}")
    for table, count in counts.items():
        mark = "" if table not in expected or expected[table] == count else "  ≠"
        print(f"{table:30} {count:>9} {expected.get(table, '-'):>11}{mark}")
    print("\nEvents by status: " + ", ".join(f"{s} {n}" for s, n in statuses))
    print("Exceptions by stage: " + (", ".join(f"{s} {n}" for s, n in exceptions) or "none"))
    print("\n" + "\n".join(dangling))
    print("\ntransfers_monthly, latest months (minor units of each currency):")
    print(monthly.to_string(index=False))
    print("\n" + "\n".join(balance))
    data = Path(warehouse.data_dir)
    print(f"\nWarehouse (raw_stripe, staging, marts, events): {warehouse.warehouse}")
    print(f"Published marts for BI: {data / 'marts.duckdb'} and {data / 'marts'}/*.parquet")
    print("Dagster UI: make ui   ·   SQL: .venv/bin/duckdb -readonly data/marts.duckdb")
