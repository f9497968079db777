"""DuckLake as the warehouse (WAREHOUSE=ducklake): its catalog in a real PostgreSQL (the
`postgres_server` fixture), its data as Parquet files in a folder.

`make run` (`python -m pipeline.cli.run`) on the small sandbox account, once on the default
DuckDB file and once on a lake: the same printout but for times, rates and the log's name,
and the same marts, row for row, the lake's read straight from it, read-only, as a BI tool
attaches it. Then four Dagster runs write one lake at once (two objects' extraction, event
processing, a purge), launched as users launch them (`dagster asset materialize`, `dagster
job execute`): they end with the raw tables that the same runs leave one after the other,
while a reader queries the lake throughout without an error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import stripe
from conftest import account_months

from pipeline.months import month_of
from pipeline.raw.backend import attach_lake, warehouse_backend

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUN_VARYING = [
    (re.compile(r"\d+:\d\d:\d\d"), "H:MM:SS"),  # a bar's elapsed time
    (re.compile(r"[\d,.]+/s\b"), "N/s"),  # a rate
    (re.compile(r"run-\d{8}T\d{6}Z"), "run-STAMP"),  # the log file's name
    (re.compile(r"\b\d+(\.\d+)?\s?(s|ms|min)\b"), "T"),  # a duration
]
RUN_TIME_COLUMNS = {"extracted_at", "received_at", "validated_at", "processed_at",
                    "occurred_at", "resolved_at", "taken_at", "judged_at", "finished_at",
                    "purged_at", "snapshot_id", "exception_id"}  # fmt: skip
"""Columns holding when a run did something, and ids drawn per run (a balance fetch's, an
exception's): they differ between any two runs, whatever the backend."""


def base_env() -> dict[str, str]:
    drop = ("STRIPE_", "DAGSTER_HOME", "WAREHOUSE", "DUCKLAKE_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def new_lake(postgres_server, folder: Path, name: str) -> dict[str, str]:
    """The settings of a new, empty lake: its own database, its own data folder."""
    return {"WAREHOUSE": "ducklake", "DUCKLAKE_CATALOG": postgres_server.new_database(name),
            "DUCKLAKE_DATA_PATH": str(folder / f"{name}_files")}  # fmt: skip


def reader(lake: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """The lake attached read-only, as a BI tool attaches it."""
    con = duckdb.connect()
    attach_lake(con, warehouse_backend(lake), read_only=True)
    return con


def create_lake(lake: dict[str, str]) -> None:
    """The lake's catalog made, empty, as a writer's first attach makes it."""
    with duckdb.connect() as con:
        attach_lake(con, warehouse_backend(lake))


def make_run(workdir: Path, **env: str) -> list[str]:
    """`make run`'s printout in `workdir`, times and rates blanked."""
    home = workdir / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = {**base_env(), "STRIPE_SANDBOX_PRESET": "small", "DAGSTER_HOME": str(home), **env}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli.run"], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=1500)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for pattern, blank in RUN_VARYING:
        lines = [pattern.sub(blank, line) for line in lines]
    return lines


def tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_catalog = current_database() and table_type = 'BASE TABLE' order by 1",
        [schema]).fetchall()]  # fmt: skip


def rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple]:
    """Every row, sorted, without the columns that say when a run wrote it."""
    columns = [row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? and table_catalog = current_database() order by ordinal_position",
        [schema, table]).fetchall()]  # fmt: skip
    kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
    return con.execute(f"select {kept} from {schema}.{table} order by all").fetchall()


@pytest.fixture(scope="module")
def file_and_lake_runs(postgres_server, tmp_path_factory):
    """(printout, marts) of `make run` on the file, then on a lake."""
    folder = tmp_path_factory.mktemp("ducklake_make_run")
    file_run = make_run(folder / "file")
    with duckdb.connect(str(folder / "file" / "data" / "warehouse.duckdb"), read_only=True) as con:
        file_marts = {t: rows(con, "marts", t) for t in tables(con, "marts")}
    lake = new_lake(postgres_server, folder, "make_run")
    lake_run = make_run(folder / "lake", **lake)
    with reader(lake) as con:
        lake_marts = {t: rows(con, "marts", t) for t in tables(con, "marts")}
    return (file_run, file_marts), (lake_run, lake_marts), folder, lake


def test_make_run_on_a_lake_prints_what_it_prints_on_the_file(file_and_lake_runs):
    (file_run, _), (lake_run, _), *_ = file_and_lake_runs
    assert any(line.startswith("dbt build") for line in lake_run)
    assert lake_run == file_run


def test_every_mart_on_the_lake_equals_the_files_row_for_row(file_and_lake_runs):
    (_, file_marts), (_, lake_marts), *_ = file_and_lake_runs
    assert len(file_marts) > 30 and sorted(lake_marts) == sorted(file_marts)
    assert sum(len(r) for r in file_marts.values()) > 1000
    differing = [mart for mart, expected in file_marts.items() if lake_marts[mart] != expected]
    assert differing == []


def test_a_lake_run_writes_no_warehouse_file_and_keeps_the_published_copies(file_and_lake_runs):
    folder = file_and_lake_runs[2]
    assert not (folder / "lake" / "data" / "warehouse.duckdb").exists()
    assert (folder / "lake" / "data" / "marts.duckdb").exists()  # the BI file, as before
    assert list((folder / "make_run_files").rglob("*.parquet"))  # the lake's own data files


def readme_lake_sql() -> str:
    """The README's SQL that attaches the lake, as a reader copies it."""
    blocks = re.findall(r"```sql\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    (sql,) = [textwrap.dedent(b) for b in blocks if "'ducklake:" in b]
    return sql


def test_the_readmes_lake_query_runs_in_the_duckdb_cli(file_and_lake_runs):
    (_, lake_marts), lake = file_and_lake_runs[1], file_and_lake_runs[3]
    shown = re.search(r"'ducklake:postgres:([^']*)'", readme_lake_sql()).group(1)
    sql = readme_lake_sql().replace(shown, lake["DUCKLAKE_CATALOG"])  # this test's database
    done = subprocess.run([str(Path(sys.executable).parent / "duckdb"), "-json"], input=sql,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    assert len(json.loads(done.stdout)) == len(lake_marts["transfers_monthly"]) > 0


# Four Dagster runs at once -------------------------------------------------------------

EXTRACTED = {"balance_transactions": "balance_transaction", "payouts": "payout"}
"""The objects extracted (raw table: Stripe's `object`), of a month no event of the account is
about an object of theirs created in: event processing writes no row of that month, so the
order of the runs cannot matter to them."""


def event_objects(client: stripe.StripeClient) -> set[tuple[str, str]]:
    """(object, month it was created) of what each of the account's events is about."""
    objects = (e.to_dict()["data"]["object"] for e in
               client.v1.events.list({"limit": 100}).auto_paging_iter())  # fmt: skip
    return {(o["object"], month_of(o["created"])) for o in objects if "created" in o}


def quiet_month(client: stripe.StripeClient, months: list[str], about: set) -> str:
    """The latest month with payouts that no event is about a payout or balance
    transaction of (events reach back 30 days: one before them)."""
    paid_out = {month_of(p.created) for p in
                client.v1.payouts.list({"limit": 100}).auto_paging_iter()}  # fmt: skip
    return max(m for m in months if m in paid_out and not
               {(o, m) for o in EXTRACTED.values()} & about)  # fmt: skip


def dagster_runs(month: str, customer: str, folder: Path) -> list[list[str]]:
    """Two objects' extraction of `month`, event processing and `customer`'s purge."""
    dagster = [sys.executable, "-m", "dagster"]
    module = ["-m", "pipeline.defs.definitions"]
    purge = folder / "purge.yaml"  # JSON is YAML
    purge.write_text(json.dumps(
        {"ops": {"purge_and_republish": {"config": {"customer_id": customer, "force": True}}}}
    ))  # fmt: skip
    return [
        *([*dagster, "asset", "materialize", *module, "--select", f"stripe/{name}",
           "--partition", month] for name in EXTRACTED),
        [*dagster, "job", "execute", *module, "-j", "process_events"],
        [*dagster, "job", "execute", *module, "-j", "purge_customer_job", "-c", str(purge)],
    ]  # fmt: skip


def run_env(workdir: Path, sandbox, lake: dict[str, str]) -> dict[str, str]:
    home = workdir / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:  # its storage made once,
        instance.get_runs(limit=1)  # not by four runs racing to migrate it
    return {**base_env(), **lake, "DAGSTER_HOME": str(home), "STRIPE_API_KEY": sandbox.api_key,
            "STRIPE_API_BASE": sandbox.base_url,
            "STRIPE_START_MONTH": account_months(sandbox.account_path)[0]}  # fmt: skip


def launch(command: list[str], workdir: Path, env: dict[str, str]) -> subprocess.Popen:
    log = open(workdir / f"run-{len(list(workdir.glob('run-*')))}.log", "w")  # noqa: SIM115
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)


def raw_state(lake: dict[str, str]) -> dict[str, list[tuple]]:
    with reader(lake) as con:
        return {t: rows(con, "raw_stripe", t) for t in tables(con, "raw_stripe")}


class LakeReader(threading.Thread):
    """Counts every raw table's rows, again and again, until stopped; its errors."""

    def __init__(self, lake: dict[str, str]):
        super().__init__(daemon=True)
        self.lake, self.errors, self.queries = lake, [], 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with reader(self.lake) as con:
                    for table in tables(con, "raw_stripe"):
                        con.execute(f"select count(*) from raw_stripe.{table}").fetchone()
                        self.queries += 1
            except duckdb.Error as error:
                self.errors.append(str(error).splitlines()[0])
            time.sleep(0.2)


@pytest.fixture(scope="module")
def sequential_and_concurrent(sandbox, postgres_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ducklake_writers")
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})
    customer = client.v1.customers.list({"limit": 1}).data[0].id
    about = event_objects(client)
    month = quiet_month(client, account_months(sandbox.account_path), about)
    commands = dagster_runs(month, customer, folder)
    states, readers = {}, {}
    for name in ("sequential", "concurrent"):
        workdir = folder / name
        workdir.mkdir()
        lake = new_lake(postgres_server, folder, name)
        env = run_env(workdir, sandbox, lake)
        create_lake(lake)  # a reader attaches an existing lake; the runs' first made it
        readers[name] = LakeReader(lake)
        readers[name].start()
        if name == "sequential":
            for command in commands:
                assert launch(command, workdir, env).wait(timeout=900) == 0, command
        else:
            processes = [launch(command, workdir, env) for command in commands]
            codes = [p.wait(timeout=900) for p in processes]
            assert codes == [0] * len(commands), [
                (workdir / f"run-{i}.log").read_text()[-2000:] for i, c in enumerate(codes) if c
            ]
        readers[name].stopping.set()
        readers[name].join(timeout=60)
        states[name] = raw_state(lake)
    return states, readers, (about, month)


def test_the_extracted_month_is_one_no_event_is_about(sequential_and_concurrent):
    about, month = sequential_and_concurrent[2]
    assert any(o == "payout" for o, _ in about)  # events about payouts, of other months
    assert not {(o, month) for o in EXTRACTED.values()} & about


def test_four_runs_at_once_leave_the_raw_tables_that_one_after_the_other_leave(
    sequential_and_concurrent,
):
    states = sequential_and_concurrent[0]
    sequential, concurrent = states["sequential"], states["concurrent"]
    assert set(EXTRACTED) <= set(sequential) and "customers" in sequential
    assert all(sequential[t] for t in EXTRACTED)
    assert sorted(concurrent) == sorted(sequential)
    for table, expected in sequential.items():
        assert concurrent[table] == expected, table


def test_a_reader_queried_the_lake_throughout_without_an_error(sequential_and_concurrent):
    readers = sequential_and_concurrent[1]
    for name, lake_reader in readers.items():
        assert lake_reader.errors == [], name
        assert lake_reader.queries > 10, name


# One lake, opened as every writer and reader opens it ---------------------------------


def test_open_warehouse_attaches_the_lake_read_only_readers_cannot_write_resync_empties_it(
    postgres_server, tmp_path, monkeypatch
):
    from pipeline.raw.warehouse import empty_lake, open_warehouse, warehouse_exists

    for name, value in new_lake(postgres_server, tmp_path, "opened").items():
        monkeypatch.setenv(name, value)
    with open_warehouse(tmp_path / "ignored.duckdb") as con:
        con.execute("create schema raw_stripe; create table raw_stripe.t (id varchar)")
        con.execute("insert into raw_stripe.t values ('ch_1')")
        assert con.execute("select current_database()").fetchone() == ("warehouse",)
    assert warehouse_exists(tmp_path / "ignored.duckdb")
    assert not (tmp_path / "ignored.duckdb").exists()
    with open_warehouse(tmp_path / "ignored.duckdb", read_only=True) as con:
        assert con.execute("select id from raw_stripe.t").fetchall() == [("ch_1",)]
        with pytest.raises(duckdb.Error, match=r"read-only|read only"):
            con.execute("insert into raw_stripe.t values ('ch_2')")
    assert empty_lake() == ["raw_stripe"]
    with open_warehouse("") as con:
        assert tables(con, "raw_stripe") == []


FIRST_WRITER = """
from pipeline.raw.warehouse import open_warehouse
with open_warehouse("") as con:
    con.execute("create schema if not exists raw_stripe")
"""


def test_four_processes_opening_a_new_lake_at_once_all_get_it(postgres_server, tmp_path):
    """The first runs of a new lake race to create its catalog tables in PostgreSQL; the
    losers attach the catalog the winner made."""
    for trial in range(3):  # a race: lost once in four new lakes, or so, without the fix
        lake = new_lake(postgres_server, tmp_path, f"new_lake_{trial}")
        env = {**base_env(), **lake}
        command = [sys.executable, "-c", FIRST_WRITER]
        processes = [subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE,
                                      text=True) for _ in range(4)]  # fmt: skip
        failures = [p.communicate(timeout=300)[1][-800:] for p in processes]
        assert [p.returncode for p in processes] == [0] * 4, failures
        with reader(lake) as con:
            assert "raw_stripe" in {s for (s,) in con.execute(
                "select schema_name from information_schema.schemata").fetchall()}  # fmt: skip
