"""The balance snapshot: a real Dagster materialization of `GET /v1/balance` on the
sandbox lands what the SDK reads, once per fetch; a bad answer writes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import orjson
import pytest
from conftest import pipeline_resources

from pipeline.cli.main_job import root_cause, take_balance_snapshot
from pipeline.cli.report import balance_lines
from pipeline.defs.assets.balance import balance_snapshots
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.extract.balance import funds_by_currency
from pipeline.raw.balance_snapshots import snapshots_dir

FAKE_KEY = "sk_test_balanceSnapshotFakeKey123"
ANSWERS = {
    "not-json": (200, b"<html>bad gateway</html>"),
    "not-a-balance": (200, b'{"object": "charge", "id": "ch_1"}'),
    "server-error": (500, b'{"error": {"message": "boom ' + FAKE_KEY.encode() + b'"}}'),
    "restricted": (403, b'{"error": {"type": "invalid_request_error", "message": "no"}}'),
}


def raw_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select snapshot_id, taken_at, extracted_at, account, livemode, api_version,"
            " payload from raw_stripe.balance_snapshots order by extracted_at"
        ).fetchall()


def sdk_funds(resources: dict) -> dict[str, dict[str, int]]:
    balance = resources["stripe"].sdk_client().v1.balance.retrieve()
    return funds_by_currency(orjson.loads(str(balance)))


def test_a_materialization_lands_the_balance_the_sdk_reads_once_per_fetch(sandbox, tmp_path):
    resources = pipeline_resources(sandbox, tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    first = dg.materialize([balance_snapshots], resources=resources, instance=instance)
    [row] = raw_rows(tmp_path / "warehouse.duckdb")
    snapshot_id, taken_at, _extracted_at, account, livemode, api_version, payload = row
    assert funds_by_currency(orjson.loads(payload)) == sdk_funds(resources)
    assert funds_by_currency(orjson.loads(payload)), "the small account holds money"
    assert taken_at == datetime.fromtimestamp(resources["stripe"].now(), UTC)
    assert account is None and livemode is False
    assert api_version == resources["stripe"].api_version
    metadata = first.get_asset_materialization_events()[0].materialization.metadata
    for currency, funds in sdk_funds(resources).items():
        assert metadata[f"{currency}_available"].value == funds["available"]
        assert metadata[f"{currency}_pending"].value == funds["pending"]
    assert not any(resources["stripe"].http_config().api_key in str(v.value)
                   for v in metadata.values())  # fmt: skip

    dg.materialize([balance_snapshots], resources=resources, instance=instance)
    rows = raw_rows(tmp_path / "warehouse.duckdb")
    assert len(rows) == 2 and len({r[0] for r in rows}) == 2
    assert rows[0][0] == snapshot_id
    assert len(list(snapshots_dir(tmp_path / "raw").glob("*.parquet"))) == 2


class BadStripe(BaseHTTPRequestHandler):
    answer: tuple[int, bytes] = (200, b"")

    def do_GET(self) -> None:
        if self.path.startswith("/v1/balance"):
            status, body = self.answer
        else:  # the settings check's probe: the key is accepted
            status, body = 200, b'{"object": "list", "data": [], "has_more": false}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def bad_stripe(request) -> Iterator[str]:
    handler = type("Answer", (BadStripe,), {"answer": ANSWERS[request.param]})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def bad_resources(api_base: str, data_dir: Path) -> dict:
    return {
        "stripe": StripeResource(api_key=FAKE_KEY, api_base=api_base, max_retries=0),
        "warehouse": WarehouseResource(
            data_dir=str(data_dir), warehouse_path=str(data_dir / "warehouse.duckdb"),
            raw_dir=str(data_dir / "raw"),
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("bad_stripe", "said"),
    [
        ("not-json", "the answer is not JSON"),
        ("not-a-balance", "expected a balance object, got 'charge'"),
        ("server-error", "Stripe 500"),
    ],
    indirect=["bad_stripe"],
)
def test_a_bad_answer_fails_in_one_line_and_writes_nothing(bad_stripe, said, tmp_path, capsys):
    resources = bad_resources(bad_stripe, tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [balance_snapshots], resources=resources, instance=instance, raise_on_error=False
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = root_cause(failure)
    assert "StripeApiError" in message and said in message and "GET /v1/balance" in message
    assert FAKE_KEY not in message and len(message.splitlines()) == 1

    assert take_balance_snapshot(resources, instance) is False  # the main job goes on
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if "Balance snapshot" in ln]
    assert said in line and FAKE_KEY not in line
    assert not list(snapshots_dir(tmp_path / "raw").glob("*"))
    warehouse = tmp_path / "warehouse.duckdb"
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            tables = con.execute(
                "select count(*) from information_schema.tables"
                " where table_name = 'balance_snapshots'"
            ).fetchone()[0]
        assert tables == 0


@pytest.mark.parametrize("bad_stripe", ["restricted"], indirect=True)
def test_a_key_without_balance_read_takes_no_snapshot_and_says_so(bad_stripe, tmp_path, capsys):
    resources = bad_resources(bad_stripe, tmp_path)
    result = dg.materialize([balance_snapshots], resources=resources)
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["snapshot_taken"].value is False
    assert "Stripe 403" in metadata["reason"].value
    assert take_balance_snapshot(resources, dg.DagsterInstance.ephemeral()) is False
    assert "Balance snapshot not taken" in capsys.readouterr().out
    assert not snapshots_dir(tmp_path / "raw").exists()


def test_the_main_job_takes_a_snapshot_before_extracting(pipeline_run):
    rows = raw_rows(pipeline_run.warehouse)  # later tests may refresh: more snapshots
    assert rows and len({r[0] for r in rows}) == len(rows)
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        [listed_from] = con.execute(
            "select min(extracted_at) from raw_stripe.balance_transactions"
        ).fetchone()
        staged_ids = con.execute(
            "select count(distinct snapshot_id) from staging.stg_stripe__balance_snapshots"
        ).fetchone()[0]
    assert rows[0][2] < listed_from  # the first snapshot was taken before the listing
    assert staged_ids == len(rows)
    first = rows[0]
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        staged = con.execute(
            "select currency, available, pending from staging.stg_stripe__balance_snapshots"
            " where snapshot_id = ? order by currency",
            [first[0]],
        ).fetchall()
    assert staged and {c: {"available": a, "pending": p} for c, a, p in staged} == {
        c: {"available": f["available"], "pending": f["pending"]}
        for c, f in funds_by_currency(orjson.loads(first[6])).items()
    }


def test_the_report_prints_the_latest_month_next_to_the_snapshot(pipeline_run):
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        lines = balance_lines(con)
        currencies = [
            r[0]
            for r in con.execute(
                "select distinct currency from staging.stg_stripe__balance_snapshots order by 1"
            ).fetchall()
        ]
    assert lines[0] == "Balance, latest month (minor units):"
    assert "starting_balance" in lines[1] and "snapshot_balance" in lines[1]
    rows = [line.split() for line in lines[2:]]
    assert [r[0] for r in rows] == currencies
    assert all(r[-1] == "yes" and r[-2] == r[-3] for r in rows)  # ending = snapshot


def test_the_report_says_so_when_the_balance_marts_are_missing(tmp_path):
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        [line] = balance_lines(con)
    assert line.startswith("Balance, latest month (minor units): not known")
