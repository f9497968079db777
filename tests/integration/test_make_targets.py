"""The shell helpers a new user meets first, run as they run them: `make …` in a subprocess.

`make sql` opens the published marts read-only, and every ```sql block of the
README runs in it verbatim; the dbt analyses compile to SQL that runs there too;
`make ui` and `make docs` refuse a port in use in one line; `make install` names
the Python it needs; the committed `.env` points `dagster` commands at the
project's instance.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent


def make(*args: str, stdin: str = "", timeout: int = 300) -> subprocess.CompletedProcess:
    """`make --no-print-directory <args>` in the checkout, as a shell would run it."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def readme_sql_blocks() -> list[str]:
    """The README's SQL for `make sql` (the published marts); the lake's own, which attaches
    a DuckLake, runs in tests/integration/test_ducklake.py."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(), re.S)
    return [sql for sql in blocks if "'ducklake:" not in sql]


def compiled_analyses(target: Path, warehouse: Path) -> dict[str, str]:
    """Every dbt analysis compiled (for October 2026) into `target`, by name."""
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    done = subprocess.run(
        [str(BIN / "dbt"), "compile", "--quiet", "--profiles-dir", ".",
         "--target-path", str(target), "--select", "resource_type:analysis",
         "--vars", "{year: 2026, month: 10}"],
        cwd=ROOT / "dbt_project", env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    folder = target / "compiled" / "stripe_warehouse" / "analyses"
    return {path.stem: path.read_text() for path in sorted(folder.glob("*.sql"))}


def test_the_readme_has_sql_blocks():
    assert len(readme_sql_blocks()) >= 9


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(readme_sql_blocks())))
def test_every_readme_sql_block_runs_verbatim_in_make_sql(pipeline_run, index):
    sql = readme_sql_blocks()[index]
    done = make("sql", f"MARTS={pipeline_run.data_dir / 'marts.duckdb'}", stdin=sql)
    assert done.returncode == 0 and not done.stderr.strip(), f"{sql}\n{done.stderr}"
    assert done.stdout.strip(), f"make sql printed nothing for:\n{sql}"


@pytest.mark.slow
def test_analyses_compile_to_sql_that_runs_in_make_sql(pipeline_run, tmp_path):
    analyses = compiled_analyses(tmp_path / "target", tmp_path / "warehouse.duckdb")
    assert set(analyses) == {"paid_totals_for", "transfers_during"}
    for name, sql in analyses.items():
        assert '"warehouse"' not in sql and "marts." not in sql, (
            f"{name} names the warehouse:\n{sql}"
        )
        marts = pipeline_run.data_dir / "marts.duckdb"
        done = make("sql", f"MARTS={marts}", stdin=f".mode json\n{sql};\n")
        assert done.returncode == 0 and not done.stderr.strip(), f"{name}: {done.stderr}"
        assert json.loads(done.stdout), f"{name} answered no rows for 2026-10:\n{sql}"


def test_make_sql_without_published_marts_says_to_run_first(tmp_path):
    done = make("sql", f"MARTS={tmp_path / 'marts.duckdb'}")
    assert done.returncode != 0
    first = done.stderr.splitlines()[0]
    assert f"{tmp_path / 'marts.duckdb'} is missing: run `make run` first" in first, done.stderr


@pytest.mark.parametrize(("target", "variable"), [("ui", "PORT"), ("docs", "DOCS_PORT")])
def test_a_port_in_use_is_one_line_before_anything_starts(target, variable, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = make(target, f"{variable}={port}", f"DAGSTER_HOME={tmp_path}", timeout=120)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if not line.startswith("make: ***")]
    assert lines == [
        f"port {port} on 127.0.0.1 is already in use (another server?):"
        f" choose another with make {target} {variable}=…"
    ], done.stdout + done.stderr
    assert "dagster" not in done.stdout and "dbt" not in done.stdout, "it started something"


def test_install_with_a_python_it_cannot_use_names_the_version_and_leaves_no_venv(tmp_path):
    venv = tmp_path / ".venv"
    python = f"PYTHON={tmp_path / 'python3.10'}"
    done = make("install", f"VENV={venv}", python, f"DAGSTER_HOME={tmp_path / 'home'}")
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if not line.startswith("make: ***")]
    assert len(lines) == 1 and "Python 3.11 is needed (requires-python >=3.11,<3.12)" in lines[0]
    assert f"PYTHON={tmp_path / 'python3.10'} is not a Python that runs" in lines[0], lines
    assert not venv.exists() and not (tmp_path / "home").exists()


def test_dagster_commands_in_the_project_folder_use_its_instance(tmp_path):
    """`.env` as Dagster reads it: from the folder a command starts in (here a copy)."""
    shutil.copy(ROOT / ".env", tmp_path / ".env")
    home = tmp_path / "data" / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | {"PWD": str(tmp_path)}
    done = subprocess.run(
        [str(BIN / "dagster"), "instance", "info"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"$DAGSTER_HOME: {home}\n" in done.stdout, done.stdout[:500]


SUPERSET_CHECK = """
import json, sys, sqlalchemy as sa
engine = sa.create_engine(sys.argv[1], connect_args=json.loads(sys.argv[2]))
with engine.connect() as con:
    print(con.execute(sa.text("select count(*) from transfers_monthly")).scalar())
    try:
        con.execute(sa.text("create table scratch (a integer)"))
    except sa.exc.SQLAlchemyError:
        print("read-only")
"""


@pytest.mark.slow
def test_the_readme_superset_uris_open_the_marts_read_only(pipeline_run):
    """Both SQLAlchemy forms the BI section gives, with duckdb-engine, on the real marts."""
    marts = str(pipeline_run.data_dir / "marts.duckdb")
    bi = re.search(r"<!-- bi:start -->(.*?)<!-- bi:end -->", README.read_text(), re.S).group(1)
    uris = set(re.findall(r"`(duckdb:////abs/path/data/marts\.duckdb[^`]*)`", bi))
    assert uris == {
        "duckdb:////abs/path/data/marts.duckdb",
        "duckdb:////abs/path/data/marts.duckdb?access_mode=read_only",
    }
    args = re.search(r'`\{"connect_args": (\{.*?\})\}`', bi).group(1)
    for uri in sorted(uris):
        connect_args = "{}" if "access_mode" in uri else args
        real = uri.replace("/abs/path/data/marts.duckdb", marts)
        done = subprocess.run(
            [sys.executable, "-c", SUPERSET_CHECK, real, connect_args],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        count, verdict = done.stdout.split()
        assert int(count) > 0 and verdict == "read-only", (uri, done.stdout)
