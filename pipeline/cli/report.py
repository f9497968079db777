"""What `make run` prints: raw counts against the account's, events, dangling
references, monthly totals, the latest month's balance against the snapshot —
rich tables, on the run's console."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from pipeline.cli.tables import plain_table, text_lines
from pipeline.defs.resources import WarehouseResource
from pipeline.raw.loader import raw_tables
from pipeline.raw.warehouse import open_warehouse
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
    "ending_balance", "snapshot_balance", "equal",
)  # fmt: skip
BALANCE_TITLE = "Balance, latest month (minor units)"


def balance_table(con: duckdb.DuckDBPyConnection) -> Table | str:
    """Per currency the latest month of `marts.balance_summary` next to the latest
    snapshot's available + pending (minor units), and whether they are equal; a line
    when there is nothing to compare."""
    try:
        rows = con.execute(BALANCE_SQL).fetchall()
    except duckdb.CatalogException:
        return (
            f"{BALANCE_TITLE}: not known (marts.balance_summary or marts.balance_snapshots missing)"
        )
    if not rows:
        return f"{BALANCE_TITLE}: no balance transactions"
    table = plain_table(*BALANCE_HEADER)
    for currency, start, *amounts, snapshot in rows:
        equal = "-" if snapshot is None else ("yes" if snapshot == amounts[-1] else "NO")
        shown = "-" if snapshot is None else str(snapshot)
        table.add_row(currency, f"{start:%Y-%m}", *map(str, amounts), shown, equal)
    return table


def balance_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The balance comparison as text: a title line, the header, a line per currency."""
    table = balance_table(con)
    return [table] if isinstance(table, str) else [f"{BALANCE_TITLE}:", *text_lines(table)]


def raw_table(counts: dict[str, int], expected: dict[str, int], halves: int = 2) -> Table:
    """Objects per raw table next to the account's count (≠ when they differ), in
    `halves` side by side."""
    height = -(-len(counts) // halves)
    table = plain_table(*(("raw table", "objects", "in account") * halves))
    cells = []
    for name, count in counts.items():
        mark = "" if name not in expected or expected[name] == count else " ≠"
        cells.append((name, str(count), f"{expected.get(name, '-')}{mark}"))
    cells += [("", "", "")] * (halves * height - len(cells))
    for row in range(height):
        table.add_row(*(cell for part in cells[row::height] for cell in part))
    return table


SIDE_BY_SIDE_WIDTH = 104
"""Columns two halves of the raw table need."""


def monthly_table(con: duckdb.DuckDBPyConnection, months: int = 6) -> Table:
    """The platform's latest rows of `marts.transfers_monthly`."""
    frame = con.execute(
        "select month, currency, payout_count, total_gross, total_charge_fees,"
        " total_refund_gross, total_adjustment_fees, total_net, total_amount"
        " from marts.transfers_monthly where account_id is null"
        f" order by month desc, currency limit {int(months)}"
    ).df()
    table = plain_table(*frame.columns)
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    return table


def print_report(
    warehouse: WarehouseResource, sandbox: object | None, console: Console | None = None
) -> None:
    console = console or Console()
    expected = account_counts(sandbox.account_path) if sandbox is not None else {}
    with open_warehouse(warehouse.warehouse, read_only=True) as con:
        counts = raw_counts(con)
        statuses = con.execute(
            "select status, count(*) from events.events group by 1 order by 1"
        ).fetchall()
        exceptions = con.execute(
            "select stage, count(*) from events.event_processing_exceptions group by 1 order by 1"
        ).fetchall()
        monthly = monthly_table(con)
        dangling = dangling_lines(con)
        balance = balance_table(con)
    say = partial(console.print, highlight=False, markup=False)
    say("\nRaw tables: objects landed, and the account's own count (≠ when they differ)")
    say(raw_table(counts, expected, 2 if console.width >= SIDE_BY_SIDE_WIDTH else 1))
    say("\nEvents by status: " + ", ".join(f"{s} {n}" for s, n in statuses))
    say("Exceptions by stage: " + (", ".join(f"{s} {n}" for s, n in exceptions) or "none"))
    say("\n" + "\n".join(dangling))
    say("\ntransfers_monthly, latest months (minor units of each currency):")
    say(monthly)
    say("\n" + balance if isinstance(balance, str) else f"\n{BALANCE_TITLE}:")
    if not isinstance(balance, str):
        say(balance)
    data = Path(warehouse.data_dir)
    say(f"\nWarehouse (raw_stripe, staging, marts, events): {warehouse.warehouse}")
    say(f"Published marts for BI: {data / 'marts.duckdb'} and {data / 'marts'}/*.parquet")
    say(
        f"Dagster UI: make ui   ·   SQL: make sql (.venv/bin/duckdb -readonly "
        f"{data / 'marts.duckdb'})"
    )
