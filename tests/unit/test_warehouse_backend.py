"""The warehouse backend setting (`pipeline.raw.backend`) and the raw writers' file locks."""

import subprocess
import sys

import pytest

from pipeline.raw.backend import is_commit_conflict, s3_secret_sql, warehouse_backend
from pipeline.raw.files import file_lock
from pipeline.settings import SettingsError

LAKE = {"WAREHOUSE": "ducklake", "DUCKLAKE_CATALOG": "dbname=lake password=hunter2",
        "DUCKLAKE_DATA_PATH": "/srv/lake"}  # fmt: skip


def test_the_default_is_one_duckdb_file_with_one_writer():
    backend = warehouse_backend({})
    assert (backend.kind, backend.is_lake, backend.writers) == ("duckdb", False, 1)


def test_a_lake_takes_four_writers_unless_told_and_never_shows_its_catalog():
    backend = warehouse_backend(LAKE)
    assert (backend.is_lake, backend.writers, backend.data_path) == (True, 4, "/srv/lake/")
    assert "hunter2" not in repr(backend)
    assert warehouse_backend({**LAKE, "WAREHOUSE_WRITERS": "2"}).writers == 2
    assert warehouse_backend({**LAKE, "DUCKLAKE_DATA_PATH": "s3://b/p"}).on_s3


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WAREHOUSE": "ducklak"}, "WAREHOUSE='ducklak' is not one of duckdb, ducklake"),
        ({**LAKE, "DUCKLAKE_CATALOG": ""}, "needs DUCKLAKE_CATALOG"),
        ({**LAKE, "DUCKLAKE_DATA_PATH": " "}, "needs DUCKLAKE_DATA_PATH"),
        ({**LAKE, "DUCKLAKE_DATA_PATH": "data/lake"}, "is relative"),
        ({**LAKE, "WAREHOUSE_WRITERS": "0"}, "WAREHOUSE_WRITERS='0' is not a whole number"),
        ({"WAREHOUSE_WRITERS": "3"}, "needs WAREHOUSE=ducklake"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_it(env, named):
    with pytest.raises(SettingsError) as refused:
        warehouse_backend(env)
    assert named in str(refused.value) and "\n" not in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_the_s3_secret_takes_the_aws_variables_that_are_set():
    sql = s3_secret_sql({"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK",
                         "AWS_ENDPOINT_URL": "http://minio:9000"})  # fmt: skip
    assert sql == ("create or replace temporary secret lake_s3 (type s3, key_id 'AK', "
                   "secret 'SK', endpoint 'minio:9000')")  # fmt: skip


def test_only_a_commit_conflict_is_retried():
    import duckdb

    assert is_commit_conflict(duckdb.TransactionException("Transaction conflict - attempting"))
    assert not is_commit_conflict(duckdb.TransactionException("cannot start a transaction"))
    assert not is_commit_conflict(ValueError("conflict"))


TRY_LOCK = """import fcntl, sys
with open(sys.argv[1], "a") as f:
    try:
        fcntl.flock(f.fileno(), (fcntl.LOCK_SH if sys.argv[2] == "shared" else fcntl.LOCK_EX)
                    | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(1)
"""


def other_process_gets(path, how: str) -> bool:
    return subprocess.run([sys.executable, "-c", TRY_LOCK, str(path), how]).returncode == 0


def test_an_exclusive_lock_keeps_other_processes_out_until_released(tmp_path):
    lock = tmp_path / "raw" / ".lock"
    with file_lock(lock):
        assert not other_process_gets(lock, "shared")
        with file_lock(lock, shared=True):  # held by this thread already: no deadlock
            pass
    assert other_process_gets(lock, "exclusive")


def test_shared_holders_admit_each_other_but_not_an_exclusive_one(tmp_path):
    lock = tmp_path / ".purge.lock"
    with file_lock(lock, shared=True):
        assert other_process_gets(lock, "shared")
        assert not other_process_gets(lock, "exclusive")
