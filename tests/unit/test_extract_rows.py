"""Page batches and the scratch Parquet sink."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pyarrow.parquet as pq
from stripe_reference import fixture_resources

from pipeline.extract.rows import RowContext, page_batch, payout_transaction_batch, raw_row
from pipeline.extract.schema import raw_schema
from pipeline.extract.sink import ParquetSinks

CTX = RowContext("acct_1", "2026-10-28.endive", datetime(2026, 11, 1, tzinfo=UTC))
MAY = 1714521600


def charges(n: int) -> list[dict]:
    base = fixture_resources()["charge"]
    return [dict(base, id=f"ch_{i:04d}", created=MAY + i * 3600) for i in range(n)]


def test_page_batch_matches_raw_row_and_keeps_the_json():
    objects = charges(3)
    objects[1]["deleted"] = True
    batch = page_batch("charges", objects, CTX)
    assert batch.schema.equals(raw_schema("charges"))
    assert batch.to_pylist() == [raw_row(o, CTX) for o in objects]
    assert [orjson.loads(r["payload"]) for r in batch.to_pylist()] == objects


def test_payout_transactions_take_the_payout_month():
    payout = {"id": "po_1", "created": MAY + 86400 * 40}
    txns = charges(2)
    rows = payout_transaction_batch(txns, payout, CTX).to_pylist()
    assert {r["month"] for r in rows} == {"2024-06"}
    assert [(r["payout_id"], r["balance_transaction_id"]) for r in rows] == [
        ("po_1", "ch_0000"),
        ("po_1", "ch_0001"),
    ]


def test_sink_streams_row_groups_and_writes_empty_tables(tmp_path):
    sinks = ParquetSinks(tmp_path, row_group_rows=250)
    sinks.open_table("refunds")
    objects = charges(100)
    for _ in range(7):
        sinks.add("charges", page_batch("charges", objects, CTX))
    files = sinks.close()
    meta = pq.ParquetFile(files["charges"]).metadata
    assert meta.num_rows == 700 and meta.num_row_groups == 3  # 300 + 300 + 100
    assert pq.read_table(files["refunds"]).num_rows == 0
    assert sinks.close() == files


def test_invoice_items_are_dated_by_date():
    item = {"id": "ii_1", "object": "invoiceitem", "date": MAY + 5, "livemode": False}
    (row,) = page_batch("invoiceitems", [item], CTX).to_pylist()
    assert (row["created"], row["month"]) == (MAY + 5, "2024-05")
