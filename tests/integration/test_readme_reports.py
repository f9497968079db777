"""The README's report queries run verbatim in the DuckDB CLI on the published marts.

Each ```sql block between `<!-- reports:start -->` and `<!-- reports:end -->` is
piped, unchanged, into `.venv/bin/duckdb -readonly -json marts.duckdb`, as a user
would paste it, against the marts the real main job published. Every query must
answer rows for October 2026 (a month the test account fully holds), and the
balance summary's rows must hold Stripe's identity.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


def report_queries() -> list[str]:
    text = README.read_text()
    found = re.search(r"<!-- reports:start -->(.*?)<!-- reports:end -->", text, re.S)
    assert found, "README.md lacks the <!-- reports:start --> … <!-- reports:end --> section"
    return re.findall(r"```sql\n(.*?)```", found.group(1), re.S)


def run_in_cli(database: Path, sql: str) -> list[dict]:
    done = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-json", str(database)],
        input=sql, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else []


def test_the_readme_shows_one_query_per_report():
    queries = report_queries()
    tables = {re.search(r"\bfrom (\w+)", q).group(1) for q in queries}
    assert tables == {
        "balance_summary", "balance_summary_activity", "balance_change_from_activity",
        "payouts_itemized", "payout_reconciliation", "ending_balance_reconciliation",
        "overview_metrics",
    }  # fmt: skip


@pytest.mark.parametrize("index", range(len(report_queries())))
def test_each_report_query_runs_verbatim_and_answers_rows(pipeline_run, index):
    assert DUCKDB_CLI.exists(), f"{DUCKDB_CLI} is missing: make install provides it"
    sql = report_queries()[index]
    rows = run_in_cli(pipeline_run.data_dir / "marts.duckdb", sql)
    assert rows, f"no rows for:\n{sql}"
    if "from balance_summary\n" in sql:
        for row in rows:
            expected = row["starting_balance"] + row["activity_net"] - row["total_payouts"]
            assert row["ending_balance"] == expected, row
            assert row["activity_net"] == row["activity_gross"] - row["activity_fee"], row
