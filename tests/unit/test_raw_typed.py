"""The typed column `obj`: derived from the catalogue, written at load, blanked, re-derived.

Every raw write stores `obj` = `from_json(payload, <the catalogue's structure>)`
beside the payload, in the Parquet partition and in `raw_stripe.<table>`; a
purge blanks it with the payload; a catalogue change is carried into every
stored partition and table on the next write, once.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import catalog
from pipeline.catalog import json_structure, raw_tables, typed_fields
from pipeline.extract.schema import raw_schema
from pipeline.purge.apply import purge_customer
from pipeline.raw.partition import partition_path, write_partition
from pipeline.raw.recovery import recover_raw
from pipeline.raw.retype import stale_files
from pipeline.raw.schema import create_table_sql
from pipeline.raw.typed import (
    TYPED_COLUMN,
    canonical_type,
    sql_struct,
    stored_schema,
    typed_expression,
)

T0 = datetime(2024, 6, 1, tzinfo=UTC)
MAY, JUNE = 1714521600, 1717200000  # 2024-05-01, 2024-06-01 (UTC)


def customer(id_="cus_1", created=MAY + 10):
    return {"id": id_, "object": "customer", "created": created, "email": "ana@example.com",
            "name": "Ana Müller", "phone": "+33 1", "currency": "eur", "delinquent": False,
            "invoice_settings": {"default_payment_method": "pm_1"}, "livemode": False}  # fmt: skip


def charge(id_="ch_1", created=MAY + 20, customer_id="cus_1"):
    return {
        "id": id_, "object": "charge", "created": created, "amount": 1250, "currency": "eur",
        "customer": customer_id, "paid": True, "captured": True, "description": "Order 7",
        "outcome": {"type": "authorized", "risk_level": "normal", "seller_message": "ok"},
        "payment_method_details": {"type": "card", "card": {
            "brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2031,
            "fingerprint": "fp_1", "country": "FR", "funding": "credit"}},
        "billing_details": {"email": "ana@example.com", "name": "Ana Müller"},
        "receipt_email": "ana@example.com",
    }  # fmt: skip


def rows(table, *objects, month="2024-05"):
    return pa.Table.from_pylist(
        [{"id": o["id"], "created": o["created"], "month": month, "livemode": False,
          "account": None, "api_version": catalog.API_VERSION, "extracted_at": T0,
          "source": "list", "is_deleted": False, "event_id": None, "event_created": None,
          "payload": json.dumps(o)} for o in objects],
        schema=raw_schema(table),
    )  # fmt: skip


def from_json(payloads, table):
    """What DuckDB's from_json gives each payload with the catalogue's structure."""
    with duckdb.connect() as con:
        sql = f"select {typed_expression(table, 'p')} from unnest(?) as t (p)"
        return [r[0] for r in con.execute(sql, [payloads]).fetchall()]


def parquet_rows(path):
    data = pq.read_table(path)
    return data.column("payload").to_pylist(), data.column(TYPED_COLUMN).to_pylist()


def duckdb_rows(warehouse, table):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sql = f"select payload, obj from raw_stripe.{table} order by created desc, id"
        return [list(column) for column in zip(*con.execute(sql).fetchall(), strict=True)]


def with_field(monkeypatch, table, name, type_):
    """The catalogue with one more typed field on `table`, nothing else changed."""
    changed = []
    for obj in catalog.STRIPE_OBJECTS:
        if obj.name == table:
            obj = dataclasses.replace(obj, typed={**obj.typed, name: type_})
        changed.append(obj)
    monkeypatch.setattr(catalog, "STRIPE_OBJECTS", tuple(changed))


def test_the_structure_is_the_catalogues_fields_as_json_and_a_duckdb_struct():
    fields = {"amount": "bigint", "card": {"last4": "varchar"}, "fees": [{"type": "varchar"}],
              "previous": "json"}  # fmt: skip
    assert json.loads(json_structure(fields)) == fields
    assert sql_struct(fields) == (
        'STRUCT("amount" BIGINT, "card" STRUCT("last4" VARCHAR), '
        '"fees" STRUCT("type" VARCHAR)[], "previous" VARCHAR)'
    )
    with duckdb.connect() as con:  # the stored type is what from_json gives, json as text
        for table in raw_tables():
            assert typed_fields(table), f"{table} declares no typed fields"
            con.execute(f"select {typed_expression(table, 'p')} from (select '{{}}' as p)")
            assert canonical_type(table).startswith("STRUCT(")


def test_the_invoice_embeds_its_lines_with_the_listed_lines_type():
    lines = typed_fields("invoices")["lines"]["data"]
    assert lines == [typed_fields("invoice_line_items")]
    assert typed_fields("payout_balance_transactions") == typed_fields("balance_transactions")


def test_a_write_stores_obj_as_from_json_of_the_payload_in_parquet_and_duckdb(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    older = charge("ch_old", MAY + 5) | {"source": {"object": "card", "last4": "1881"}}
    del older["payment_method_details"]  # an older API version: the card under `source`
    bare = {"id": "ch_bare", "created": MAY}
    result = write_partition(raw, wh, "charges", "2024-05", rows("charges", charge(), older, bare))
    assert pq.read_schema(result.path).equals(stored_schema("charges"))
    payloads, typed = parquet_rows(result.path)
    assert typed == from_json(payloads, "charges")
    assert typed[0]["amount"] == 1250 and typed[0]["payment_method_details"]["card"]["last4"] == (
        "4242"
    )
    assert typed[1]["source"]["last4"] == "1881" and typed[1]["payment_method_details"] is None
    assert duckdb_rows(wh, "charges") == [payloads, typed]
    with duckdb.connect(str(wh), read_only=True) as con:
        (held,) = con.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'charges' and column_name = 'obj'"
        ).fetchone()
    assert held == canonical_type("charges")


def test_an_event_upsert_derives_obj_for_every_row_of_the_month(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_partition(raw, wh, "charges", "2024-05", rows("charges", charge("ch_1"), charge("ch_2")))
    refunded = charge("ch_2") | {"amount_refunded": 50}
    write_partition(raw, wh, "charges", "2024-05", rows("charges", refunded), mode="upsert")
    payloads, typed = parquet_rows(partition_path(raw, "charges", "2024-05"))
    assert typed == from_json(payloads, "charges")
    assert sorted(t["amount_refunded"] or 0 for t in typed) == [0, 50]
    assert duckdb_rows(wh, "charges") == [payloads, typed]


def test_a_purge_blanks_the_typed_column_too_in_parquet_and_duckdb(tmp_path):
    data = tmp_path / "data"
    raw, wh = data / "raw", data / "warehouse.duckdb"
    people = rows("customers", customer(), customer("cus_2"))
    write_partition(raw, wh, "customers", "2024-05", people)
    other = charge("ch_2", customer_id="cus_2")
    write_partition(raw, wh, "charges", "2024-05", rows("charges", charge(), other))
    purge_customer(data, wh, "cus_1")
    for table in ("customers", "charges"):
        payloads, typed = parquet_rows(partition_path(raw, table, "2024-05"))
        assert typed == from_json(payloads, table)  # derived from the blanked payload
        assert duckdb_rows(wh, table) == [payloads, typed]
    payloads, people = parquet_rows(partition_path(raw, "customers", "2024-05"))
    by_id = {json.loads(p)["id"]: person for p, person in zip(payloads, people, strict=True)}
    assert (by_id["cus_1"]["email"], by_id["cus_1"]["name"], by_id["cus_1"]["phone"]) == (
        None, None, None)  # fmt: skip
    assert by_id["cus_2"]["email"] == "ana@example.com"  # not purged, kept
    assert by_id["cus_1"]["invoice_settings"]["default_payment_method"] == "pm_1"  # a link
    _, charges = parquet_rows(partition_path(raw, "charges", "2024-05"))
    purged = next(c for c in charges if c["customer"] == "cus_1")
    card = purged["payment_method_details"]["card"]
    assert (card["last4"], card["brand"], card["fingerprint"], card["exp_year"]) == (
        None, None, None, None)  # fmt: skip
    assert purged["description"] is None and purged["amount"] == 1250  # the money stays
    listed_again = rows("charges", charge())  # a later write blanks the customer again
    write_partition(raw, wh, "charges", "2024-05", listed_again, mode="upsert")
    _, charges = parquet_rows(partition_path(raw, "charges", "2024-05"))
    assert all(c["payment_method_details"]["card"]["last4"] is None
               for c in charges if c["customer"] == "cus_1")  # fmt: skip


def test_a_field_added_to_the_catalogue_is_derived_in_every_partition_and_table_once(
    tmp_path, monkeypatch
):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_partition(raw, wh, "charges", "2024-05", rows("charges", charge("ch_1")))
    write_partition(raw, wh, "charges", "2024-06",
                    rows("charges", charge("ch_2", JUNE + 5), month="2024-06"))  # fmt: skip
    may = partition_path(raw, "charges", "2024-05")
    with_field(monkeypatch, "charges", "receipt_email", "varchar")
    assert stale_files(raw, "charges") == [may, partition_path(raw, "charges", "2024-06")]

    recover_raw(raw, wh)  # where the loader starts

    assert stale_files(raw, "charges") == []
    for month in ("2024-05", "2024-06"):
        payloads, typed = parquet_rows(partition_path(raw, "charges", month))
        assert typed == from_json(payloads, "charges")
        assert typed[0]["receipt_email"] == "ana@example.com"
    _, typed = duckdb_rows(wh, "charges")
    assert [t["receipt_email"] for t in typed] == ["ana@example.com"] * 2
    before = may.stat().st_mtime_ns
    recover_raw(raw, wh)  # idempotent: nothing stale, nothing rewritten
    assert may.stat().st_mtime_ns == before


def test_a_write_to_a_table_of_an_older_catalogue_retypes_it_first(tmp_path, monkeypatch):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_partition(raw, wh, "charges", "2024-05", rows("charges", charge("ch_1")))
    with_field(monkeypatch, "charges", "receipt_email", "varchar")
    write_partition(raw, wh, "charges", "2024-06",
                    rows("charges", charge("ch_2", JUNE + 5), month="2024-06"))  # fmt: skip
    _, typed = duckdb_rows(wh, "charges")
    assert [t["receipt_email"] for t in typed] == ["ana@example.com"] * 2
    assert stale_files(raw, "charges") == []


def test_partitions_and_a_table_written_before_obj_existed_get_it(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    path = partition_path(raw, "charges", "2024-05")
    path.parent.mkdir(parents=True)
    pq.write_table(rows("charges", charge()), path)  # the raw columns only, as before
    typed_column = f", {TYPED_COLUMN} {sql_struct(typed_fields('charges'))}"
    old_ddl = create_table_sql("charges").replace(typed_column, "")
    with duckdb.connect(str(wh)) as con:
        con.execute("create schema raw_stripe")
        con.execute(old_ddl)
        con.execute("insert into raw_stripe.charges select * from read_parquet(?)", [str(path)])
    assert stale_files(raw, "charges") == [path]
    recover_raw(raw, wh)
    payloads, typed = parquet_rows(path)
    assert typed == from_json(payloads, "charges") and typed[0]["amount"] == 1250
    assert duckdb_rows(wh, "charges") == [payloads, typed]


@pytest.mark.parametrize("payload", ["not json", ""])
def test_a_payload_that_is_not_json_gets_a_null_obj(tmp_path, payload):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    batch = rows("charges", charge()).set_column(
        raw_schema("charges").get_field_index("payload"), "payload", pa.array([payload])
    )
    write_partition(raw, wh, "charges", "2024-05", batch)
    assert duckdb_rows(wh, "charges") == [[payload], [None]]
