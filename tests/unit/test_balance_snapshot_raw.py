"""The balance answer checked, and the raw write: one row per fetch, never twice."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from pipeline.extract.balance import funds_by_currency, parse_balance
from pipeline.extract.errors import StripeApiError
from pipeline.raw.balance_snapshots import (
    load_snapshots,
    snapshot_row,
    snapshots_dir,
    write_snapshot,
)

BALANCE = {
    "object": "balance",
    "livemode": False,
    "available": [{"amount": 1200, "currency": "usd"}, {"amount": -5, "currency": "EUR"}],
    "pending": [{"amount": 300, "currency": "usd"}],
    "connect_reserved": [{"amount": 7, "currency": "usd"}],
}
AT = datetime(2024, 3, 1, 12, tzinfo=UTC)


def row() -> dict:
    return snapshot_row(BALANCE, taken_at=AT, extracted_at=AT, account=None, api_version="v1")


def test_funds_are_per_currency_in_minor_units_never_added_across_currencies():
    assert funds_by_currency(BALANCE) == {
        "usd": {"available": 1200, "pending": 300, "connect_reserved": 7},
        "eur": {"available": -5, "pending": 0, "connect_reserved": 0},
    }


@pytest.mark.parametrize(
    ("body", "said"),
    [(b"oops", "not JSON"), (b"[1]", "got 'list'"), (b'{"object": "charge"}', "got 'charge'")],
)
def test_an_answer_that_is_not_a_balance_is_one_clear_error(body, said):
    with pytest.raises(StripeApiError, match=said) as raised:
        parse_balance(body)
    assert str(raised.value).startswith("Stripe 200 on GET /v1/balance:")
    assert "\n" not in str(raised.value)


def stored(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select snapshot_id, taken_at, payload from raw_stripe.balance_snapshots"
        ).fetchall()


def test_each_fetch_is_one_row_and_loading_again_adds_nothing(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    first, second = row(), row()
    write_snapshot(first, tmp_path / "raw", warehouse)
    write_snapshot(second, tmp_path / "raw", warehouse)
    assert load_snapshots(tmp_path / "raw", warehouse) == 0
    rows = stored(warehouse)
    assert sorted(r[0] for r in rows) == sorted([first["snapshot_id"], second["snapshot_id"]])
    assert all(r[1] == AT for r in rows)
    assert parse_balance(rows[0][2].encode()) == BALANCE


def test_a_file_whose_insert_never_happened_is_loaded_by_the_next_write(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    raw = tmp_path / "raw"
    orphan = row()
    write_snapshot(orphan, raw, warehouse)
    with duckdb.connect(str(warehouse)) as con:  # as if killed after the rename
        con.execute("delete from raw_stripe.balance_snapshots")
    (snapshots_dir(raw) / ".half.parquet.999999999.tmp").write_bytes(b"PAR1 half")
    write_snapshot(row(), raw, warehouse)
    assert orphan["snapshot_id"] in {r[0] for r in stored(warehouse)}
    assert len(stored(warehouse)) == 2
