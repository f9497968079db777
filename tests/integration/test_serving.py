"""BI readers keep reading the published marts while the pipeline publishes again.

Two kinds of reader run in processes of their own, as BI tools would: plain
DuckDB, and SQLAlchemy with duckdb-engine (the path Superset and Metabase take).
Each opens a fresh read-only connection per query. None may fail, and each must
always see complete marts.
"""

import json
import subprocess
import sys
import time

import dagster as dg
import duckdb

from pipeline.assets.serving import published_marts

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
