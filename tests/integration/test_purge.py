"""Purge a customer: personal and card data go everywhere, the money stays, and for good."""

import json

import duckdb
import pyarrow.parquet as pq

from pipeline.cli.main_job import extract_everything
from pipeline.cli.purge import purge_and_rebuild


def _customer_with_charges(warehouse) -> tuple[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select c.customer_id, c.email from marts.customers as c"
            " join marts.charges as ch on ch.customer_id = c.customer_id"
            " where c.email is not null and ch.card_last4 is not null limit 1"
        ).fetchone()


def _money(con, customer_id) -> list[tuple]:
    return con.execute(
        "select charge_id, amount, currency, amount_refunded from marts.charges"
        " where customer_id = ? order by charge_id", [customer_id]
    ).fetchall()  # fmt: skip


def test_purge_blanks_personal_data_keeps_money_and_survives_reextraction(
    main_job, sandbox, small_account, tmp_path
):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    run = main_job(sandbox, small_account, data_dir)
    customer_id, email = _customer_with_charges(run.warehouse)
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        money_before = _money(con, customer_id)

    purge_and_rebuild(run.resources, customer_id, run.instance)
    extract_everything(run.resources, run.instance, run.months)  # listed again from Stripe

    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        payloads = [p for (p,) in con.execute(
            "select payload from raw_stripe.customers where id = ?"
            " union all select payload from raw_stripe.charges where contains(payload, ?)",
            [customer_id, customer_id]).fetchall()]  # fmt: skip
        mart = con.execute(
            "select email, name, is_purged, purged_at is not null from marts.customers"
            " where customer_id = ?",
            [customer_id],
        ).fetchone()
        cards = con.execute(
            "select count(*) from marts.charges where customer_id = ? and card_last4 is not null",
            [customer_id],
        ).fetchone()[0]
        assert _money(con, customer_id) == money_before
        typed = con.execute(  # the typed column is derived from the blanked payload
            "select obj.email, obj.name from raw_stripe.customers where id = ?"
            " union all select null, obj.payment_method_details.card.last4"
            " from raw_stripe.charges where obj.customer = ?",
            [customer_id, customer_id],
        ).fetchall()
    assert typed and all(row == (None, None) for row in typed)
    assert len(payloads) >= 2
    assert all(email not in p for p in payloads), "the email survived in a raw payload"
    customer = json.loads(payloads[0])
    assert customer["email"] is None and customer["name"] is None
    assert mart == (None, None, True, True) and cards == 0
    raw_files = list((data_dir / "raw" / "stripe").rglob("*.parquet"))
    assert raw_files
    for raw_file in raw_files:
        texts = pq.read_table(raw_file, columns=["payload"]).column("payload").to_pylist()
        assert not any(email in text for text in texts if text), f"email left in {raw_file}"
        if raw_file.parts[-3] == "customers":
            objs = pq.read_table(raw_file, columns=["obj"]).column("obj").to_pylist()
            assert email not in [o["email"] for o in objs if o], f"email left in {raw_file} obj"
    with duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True) as con:
        assert con.execute(
            "select email from customers where customer_id = ?", [customer_id]
        ).fetchone() == (None,)
    assert customer_id in (data_dir / "purges" / "purges.jsonl").read_text()
