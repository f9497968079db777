"""The Dagster instance on PostgreSQL (deploy/dagster.postgres.yaml, DAGSTER_INSTANCE=postgres).

A real PostgreSQL server (the `postgres_server` fixture) and a real `dagster dev` over
workspace.yaml against an instance home holding only that file: a backfill launched through
the webserver's GraphQL API is queued, completes, and its runs are read back from
PostgreSQL's own tables; the home has no SQLite run storage.
"""

import os
import shutil

import psycopg2
import pytest
from dagster_web import (
    BACKFILL,
    BACKFILL_DONE,
    LAUNCH_BACKFILL,
    REPO,
    dagster_dev,
    graphql,
    wait_for_status,
)

pytestmark = pytest.mark.slow

START_MONTH = "2026-09"
MONTHS = ["2026-09"]
BACKFILL_RUNS = """select r.run_id, r.status from runs r join run_tags t on t.run_id = r.run_id
where t.key = 'dagster/backfill' and t.value = %s"""
ENQUEUED = """select count(distinct run_id) from event_logs
where dagster_event_type = 'PIPELINE_ENQUEUED' and run_id = any(%s)"""


def test_the_postgres_server_answers_on_127_0_0_1_on_its_port(postgres_server):
    with psycopg2.connect(postgres_server.dsn) as con, con.cursor() as cursor:
        cursor.execute("select inet_server_addr()::text, current_setting('port')::int")
        assert cursor.fetchone() == ("127.0.0.1/32", postgres_server.port)


@pytest.fixture(scope="module")
def dagster_on_postgres(sandbox, postgres_server, tmp_path_factory):
    """`dagster dev` on a home holding deploy/dagster.postgres.yaml; (url, home)."""
    workdir = tmp_path_factory.mktemp("dagster_postgres")
    home = workdir / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.postgres.yaml", home / "dagster.yaml")
    pg_url = postgres_server.url.replace("postgresql://", "postgresql+psycopg2://", 1)
    env = {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_PG_URL": pg_url,
           "STRIPE_API_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.base_url,
           "STRIPE_START_MONTH": START_MONTH}  # fmt: skip
    with dagster_dev(workdir, env) as url:
        yield url, home


def test_a_backfill_from_graphql_is_queued_completes_and_its_runs_are_in_postgres(
    dagster_on_postgres, postgres_server
):
    url, home = dagster_on_postgres
    params = {"partitionNames": MONTHS, "assetSelection": [{"path": ["stripe", "charges"]}]}
    launched = graphql(url, LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill_id = launched["backfillId"]
    status = wait_for_status(url, BACKFILL, {"id": backfill_id},
                             lambda d: d["partitionBackfillOrError"]["status"],
                             BACKFILL_DONE, 400)  # fmt: skip
    assert status in {"COMPLETED", "COMPLETED_SUCCESS"}, status
    with psycopg2.connect(postgres_server.dsn) as con, con.cursor() as cursor:
        cursor.execute(BACKFILL_RUNS, (backfill_id,))
        runs = dict(cursor.fetchall())
        assert runs and set(runs.values()) == {"SUCCESS"}, runs
        cursor.execute(ENQUEUED, (list(runs),))
        assert cursor.fetchone()[0] == len(runs), "a run skipped the queue"
        cursor.execute("select count(*) from bulk_actions where key = %s", (backfill_id,))
        assert cursor.fetchone()[0] == 1
    assert not (home / "history" / "runs.db").exists(), "runs went to SQLite"
    assert not list(home.rglob("*.db")), list(home.rglob("*.db"))
