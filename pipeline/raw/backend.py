"""Which database backs the warehouse, from the environment, checked.

`WAREHOUSE=duckdb` (the default): one DuckDB file, one writing process at a time.
`WAREHOUSE=ducklake`: a DuckLake, its catalog in PostgreSQL (`DUCKLAKE_CATALOG`, a
libpq string such as `dbname=lake host=db.internal user=etl`, or a `postgresql://` URI)
and its data as Parquet files under `DUCKLAKE_DATA_PATH` (an absolute folder, or `s3://bucket/path/`
read and written through httpfs with the usual `AWS_*` variables). Many processes read
and write a lake at once: `WAREHOUSE_WRITERS` (default 4) is how many write together.

DuckDB's extensions come from their PyPI wheels: each is installed, once per machine,
into DuckDB's own extension folder, where the `duckdb` CLI and dbt-duckdb find it too.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb

from pipeline.settings import SettingsError

T = TypeVar("T")

LAKE_ALIAS = "warehouse"
"""The lake's catalog name: the DuckDB file's (`warehouse.duckdb`), so SQL reads the same."""

LAKE_EXTENSIONS = ("postgres_scanner", "ducklake")
S3_EXTENSION = "httpfs"
DEFAULT_LAKE_WRITERS = 4
BACKENDS = ("duckdb", "ducklake")


@dataclass(frozen=True)
class Backend:
    """The warehouse's database: the DuckDB file, or a DuckLake and where it lives."""

    kind: str = "duckdb"
    catalog: str | None = field(default=None, repr=False)  # may hold a password
    data_path: str | None = None
    writers: int = 1

    @property
    def is_lake(self) -> bool:
        return self.kind == "ducklake"

    @property
    def on_s3(self) -> bool:
        return bool(self.data_path and self.data_path.startswith("s3://"))


def warehouse_backend(env: Mapping[str, str] | None = None) -> Backend:
    """The backend `env` (the process environment by default) names; a wrong or missing
    setting raises `SettingsError` with one line."""
    env = os.environ if env is None else env
    kind = (env.get("WAREHOUSE") or "duckdb").strip().lower()
    if kind not in BACKENDS:
        raise SettingsError(f"WAREHOUSE={kind!r} is not one of {', '.join(BACKENDS)}")
    writers = _writers(env.get("WAREHOUSE_WRITERS"), kind)
    if kind == "duckdb":
        return Backend(writers=writers)
    catalog = (env.get("DUCKLAKE_CATALOG") or "").strip()
    data_path = (env.get("DUCKLAKE_DATA_PATH") or "").strip()
    if not catalog:
        raise SettingsError(
            "WAREHOUSE=ducklake needs DUCKLAKE_CATALOG, the PostgreSQL database holding the "
            "lake's catalog: e.g. 'dbname=lake host=127.0.0.1 user=postgres'"
        )
    if not data_path:
        raise SettingsError(
            "WAREHOUSE=ducklake needs DUCKLAKE_DATA_PATH, where the lake's Parquet files go: "
            "a folder or s3://bucket/prefix/"
        )
    if not data_path.startswith("s3://") and not Path(data_path).is_absolute():
        raise SettingsError(
            f"DUCKLAKE_DATA_PATH={data_path!r} is relative: give an absolute folder (dbt and "
            "Dagster's runs start in other folders) or s3://bucket/prefix/"
        )
    return Backend("ducklake", catalog, data_path.rstrip("/") + "/", writers)


def _writers(value: str | None, kind: str) -> int:
    if not value:
        return DEFAULT_LAKE_WRITERS if kind == "ducklake" else 1
    if not value.strip().isdigit() or int(value) < 1:
        raise SettingsError(f"WAREHOUSE_WRITERS={value!r} is not a whole number of at least 1")
    if kind == "duckdb" and int(value) != 1:
        raise SettingsError(
            f"WAREHOUSE_WRITERS={value} needs WAREHOUSE=ducklake: a DuckDB file has one writer"
        )
    return int(value)


def wheel_extension(name: str) -> Path:
    """The `.duckdb_extension` file the `duckdb-extension-<name>` wheel ships."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise SettingsError(f"the DuckDB extension {name} is not installed: run `make install`")
    folder = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    return next(folder.glob(f"v{duckdb.__version__}/{name}.duckdb_extension"))


def install_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> None:
    """Each of `names` installed from its wheel when DuckDB's extension folder lacks it."""
    installed = {
        row[0]
        for row in con.execute(
            "select extension_name from duckdb_extensions() where installed"
        ).fetchall()
    }
    for name in names:
        if name not in installed:
            con.execute(f"install {_quote(str(wheel_extension(name)))}")


def lake_extensions(backend: Backend) -> tuple[str, ...]:
    return LAKE_EXTENSIONS + ((S3_EXTENSION,) if backend.on_s3 else ())


def attach_lake(
    con: duckdb.DuckDBPyConnection, backend: Backend, *, read_only: bool = False
) -> None:
    """The lake attached as `warehouse` and made the default catalog of `con`."""
    install_extensions(con, lake_extensions(backend))
    for name in lake_extensions(backend):
        con.execute(f"load {name}")
    if backend.on_s3:
        con.execute(s3_secret_sql(os.environ))
    options = f"data_path {_quote(backend.data_path or '')}" + (", read_only" if read_only else "")
    lake = _quote("ducklake:postgres:" + (backend.catalog or ""))
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            con.execute(f"attach {lake} as {LAKE_ALIAS} ({options})")
            break
        except duckdb.Error as error:
            if attempt == CONFLICT_ATTEMPTS or not is_racing_initialisation(error):
                raise
            con.execute(f"detach database if exists {LAKE_METADATA}")
            pause_before_retry(attempt)
    con.execute(f"use {LAKE_ALIAS}")


LAKE_METADATA = f"__ducklake_metadata_{LAKE_ALIAS}"
"""The catalog database DuckDB attaches for the lake; left behind by a failed attach."""


def is_racing_initialisation(error: BaseException) -> bool:
    """Whether attaching failed because another process was creating the same new lake's
    catalog tables at that moment (the next attach finds them made)."""
    text = str(error)
    return "Failed to initialize DuckLake" in text and (
        "duplicate key" in text or "already exists" in text
    )


def s3_secret_sql(env: Mapping[str, str]) -> str:
    """A temporary S3 secret from the usual `AWS_*` variables (those that are set)."""
    settings = {
        "key_id": env.get("AWS_ACCESS_KEY_ID"),
        "secret": env.get("AWS_SECRET_ACCESS_KEY"),
        "session_token": env.get("AWS_SESSION_TOKEN"),
        "region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
        "endpoint": (env.get("AWS_ENDPOINT_URL") or "").split("://")[-1] or None,
    }
    given = ", ".join(f"{k} {_quote(v)}" for k, v in settings.items() if v)
    return "create or replace temporary secret lake_s3 (type s3" + (f", {given})" if given else ")")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


CONFLICT_ATTEMPTS = 6


def is_commit_conflict(error: BaseException) -> bool:
    """Whether `error` is DuckLake refusing a commit another writer's commit conflicts with."""
    return isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower()


def retry_on_conflict(work: Callable[[], T], attempts: int = CONFLICT_ATTEMPTS) -> T:
    """`work()` (one whole transaction), again after a short, growing pause each time a
    concurrent writer's commit conflicted with it; any other error, or the last conflict,
    is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except duckdb.TransactionException as error:
            if attempt == attempts or not is_commit_conflict(error):
                raise
            pause_before_retry(attempt)
    raise AssertionError("unreachable")


def pause_before_retry(attempt: int) -> None:
    """A short pause, growing with each attempt, jittered so racing processes part."""
    time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
