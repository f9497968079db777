"""Shared fixtures: a small sandbox account served over HTTP, and the real pipeline run on it.

`built_warehouse` is the whole main job as `make run` runs it — real Dagster
materializations of the raw assets and the dbt project — against the `small`
sandbox preset, in a temporary data directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from postgres_server import INSTALL_HINT, PostgresServer, postgres_bin

from pipeline.months import month_of, months_between
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.starter import preset_first_month
from stripe_sandbox.store import open_reader, read_meta


@dataclass(frozen=True)
class PipelineRun:
    """Where a test pipeline run wrote, and what it read from."""

    data_dir: Path
    warehouse: Path
    raw_dir: Path
    months: list[str]
    sandbox: SandboxServer
    resources: dict
    instance: dg.DagsterInstance


@pytest.fixture(scope="session")
def small_account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_account("small", data_dir=tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="session")
def sandbox(small_account: Path) -> Iterator[SandboxServer]:
    with SandboxServer(small_account) as server:
        yield server


def account_months(account: Path) -> list[str]:
    """Every month from before the account's oldest object to its clock's month."""
    clock = int(read_meta(open_reader(account))["clock"])
    return months_between(preset_first_month("small"), month_of(clock))


def pipeline_resources(sandbox: SandboxServer, data_dir: Path) -> dict:
    # The main job loads the Dagster definitions: only the tests that run it pay for that.
    from pipeline.cli.main_job import Target, run_resources

    return run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)


def run_main_job(sandbox: SandboxServer, account: Path, data_dir: Path) -> PipelineRun:
    """What `make run` does, into `data_dir`, against `sandbox`."""
    # As above: the definitions load only for the tests that run the main job.
    from pipeline.cli.main_job import (
        Target,
        build_and_publish,
        deliver_recent_events,
        extract_everything,
        process_events,
    )

    resources = pipeline_resources(sandbox, data_dir)
    months = account_months(account)
    instance = dg.DagsterInstance.ephemeral()
    extract_everything(resources, instance, months)
    deliver_recent_events(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    process_events(resources, instance)
    build_and_publish(resources, instance)
    return PipelineRun(
        data_dir, data_dir / "warehouse.duckdb", data_dir / "raw", months, sandbox, resources,
        instance,
    )  # fmt: skip


@pytest.fixture(scope="session")
def pipeline_run(
    sandbox: SandboxServer, small_account: Path, tmp_path_factory: pytest.TempPathFactory
) -> PipelineRun:
    """The main job, run once per session on the small account."""
    return run_main_job(sandbox, small_account, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def built_warehouse(pipeline_run: PipelineRun) -> Path:
    """A warehouse.duckdb extracted from the sandbox and built by dbt."""
    return pipeline_run.warehouse


@pytest.fixture(scope="session")
def main_job():
    """`run_main_job(sandbox, account, data_dir)`, for tests that need a run of their own."""
    return run_main_job


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL on 127.0.0.1, a free port, trust authentication; stopped at the end.
    (Here, not in a tests/integration/conftest.py, which would shadow this module's name.)"""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip(INSTALL_HINT)
    with PostgresServer(bin_dir) as server:
        yield server
