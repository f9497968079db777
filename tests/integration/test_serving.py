"""BI readers keep reading the published marts while the pipeline publishes again.

Two kinds of reader run in processes of their own, as BI tools would: plain
DuckDB, and SQLAlchemy with duckdb-engine (the path Superset and Metabase take).
Each opens a fresh read-only connection per query. None may fail, and each must
always see complete marts. A publisher killed halfway leaves scratch files that
the next publish removes.
"""

import json
import shutil
import signal
import subprocess
import sys
import time

import dagster as dg
import duckdb

from pipeline.defs.assets.serving import published_marts
from pipeline.defs.resources import WarehouseResource

QUERY = "select (select count(*) from charges), (select sum(total_net) from transfers_monthly)"
DUCKDB_READER = """
import json, sys, time, duckdb
path, seconds = sys.argv[1], float(sys.argv[2])
seen, errors, end = set(), [], time.monotonic() + seconds
while time.monotonic() < end:
    try:
        with duckdb.connect(path, read_only=True) as con:
            seen.add(tuple(map(str, con.execute(sys.argv[3]).fetchone())))
    except Exception as error:
        errors.append(repr(error))
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "failures": len(errors)}))
"""
SQLALCHEMY_READER = """
import json, sys, time
import sqlalchemy as sa
path, seconds = sys.argv[1], float(sys.argv[2])
seen, errors, end = set(), [], time.monotonic() + seconds
while time.monotonic() < end:
    try:
        engine = sa.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
        with engine.connect() as con:
            seen.add(tuple(map(str, con.execute(sa.text(sys.argv[3])).one())))
        engine.dispose()
    except Exception as error:
        errors.append(repr(error))
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "failures": len(errors)}))
"""


def test_readers_never_fail_nor_see_half_published_marts(pipeline_run):
    published = pipeline_run.data_dir / "marts.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        expected = tuple(map(str, con.execute(QUERY).fetchone()))
    readers = [
        subprocess.Popen([sys.executable, "-c", code, str(published), "25", QUERY],
                         stdout=subprocess.PIPE, text=True)
        for code in (DUCKDB_READER, SQLALCHEMY_READER)
    ]  # fmt: skip
    time.sleep(2)
    publishes = 0
    while any(reader.poll() is None for reader in readers) and publishes < 6:
        result = dg.materialize([published_marts], resources=pipeline_run.resources)
        assert result.success
        publishes += 1
    reports = [json.loads(reader.communicate(timeout=120)[0]) for reader in readers]
    assert publishes >= 2
    for report in reports:
        assert report["failures"] == 0, report["errors"]
        assert report["seen"] == [list(expected)], "a reader saw marts other than the full ones"
    for mart in ("charges", "transfers_monthly", "customers"):
        assert (pipeline_run.data_dir / "marts" / f"{mart}.parquet").exists()


KILLED_PUBLISHER = """
import os, signal, sys
from pathlib import Path
import pipeline.serving.publish as publish

def killed(path):  # the first mart is copied, the scratch database is still attached
    os.kill(os.getpid(), signal.SIGKILL)

publish._fsync = killed
data = Path(sys.argv[1])
publish.publish_marts(data / "warehouse.duckdb", data / "marts.duckdb", data / "marts")
"""


def test_a_killed_publishers_scratch_goes_at_the_next_publish(pipeline_run, tmp_path):
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        if (pipeline_run.data_dir / name).exists():
            shutil.copy(pipeline_run.data_dir / name, tmp_path / name)
    killed = subprocess.run([sys.executable, "-c", KILLED_PUBLISHER, str(tmp_path)], timeout=300)
    assert killed.returncode == -signal.SIGKILL
    leftovers = [p.name for p in (*tmp_path.glob(".marts.duckdb.*"), *tmp_path.glob("marts/.*"))]
    assert any(n.endswith(".tmp") for n in leftovers) and not (tmp_path / "marts.duckdb").exists()

    warehouse = WarehouseResource(data_dir=str(tmp_path), raw_dir=str(tmp_path / "raw"),
                                  warehouse_path=str(tmp_path / "warehouse.duckdb"))  # fmt: skip
    assert dg.materialize([published_marts], resources={"warehouse": warehouse}).success
    assert list(tmp_path.glob(".marts.duckdb.*")) == [] and list(tmp_path.glob("marts/.*")) == []
    with duckdb.connect(str(tmp_path / "marts.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from charges").fetchone()[0] > 0


def test_transfers_monthly_carries_the_latest_months_payouts_as_numbers(pipeline_run):
    key = dg.AssetKey(["marts", "transfers_monthly"])
    event = pipeline_run.instance.get_latest_materialization_event(key)
    metadata = event.asset_materialization.metadata
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        (month,) = con.execute("select max(month) from marts.transfers_monthly").fetchone()
        latest = con.execute(
            "select currency, total_net, total_gross, payout_count from marts.transfers_monthly"
            " where account_id is null and month = ?",
            [month],
        ).fetchall()
    assert latest, "the small account pays out in its latest month"
    expected = {}
    for currency, net, gross, payouts in latest:
        expected |= {f"total_net_{currency}": net, f"total_gross_{currency}": gross,
                     f"payout_count_{currency}": payouts}  # fmt: skip
    numbers = {k: v for k, v in metadata.items() if k.startswith(("total_", "payout_count_"))}
    assert {k: v.value for k, v in numbers.items()} == expected
    assert all(isinstance(v, dg.IntMetadataValue) for v in numbers.values())  # Dagster plots them
    assert metadata["latest_month"].value == month
