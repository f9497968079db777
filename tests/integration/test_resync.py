"""Truncate everything and pull it again: the marts come back the same, row for row,
purges included."""

from pathlib import Path

import duckdb

from pipeline.cli.purge import purge_and_rebuild
from pipeline.cli.resync import empty_data_dir

MONITORING = {"event_validation", "event_processing_exceptions"}  # about deliveries, not Stripe
PER_FETCH = {"balance_snapshots": "snapshot_id, extracted_at"}  # which fetch, and when: not Stripe


def published_marts(data_dir: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True) as con:
        tables = [
            t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()
        ]
        return {
            t: con.execute(
                f"select * exclude ({PER_FETCH[t]}) from {t} order by all"
                if t in PER_FETCH
                else f"select * from {t} order by all"
            ).fetchall()
            for t in tables
            if t not in MONITORING
        }


def test_marts_after_a_full_resync_equal_the_marts_before(
    main_job, sandbox, small_account, tmp_path
):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    run = main_job(sandbox, small_account, data_dir)
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        (customer_id,) = con.execute(
            "select customer_id from marts.customers where email is not null limit 1"
        ).fetchone()
    purge_and_rebuild(run.resources, customer_id, run.instance)
    before = published_marts(data_dir)

    removed = {p.name for p in empty_data_dir(data_dir)}
    assert (data_dir / "purges").exists(), "the purge register must survive a re-sync"
    assert {"raw", "warehouse.duckdb", "marts.duckdb", "marts"} <= removed
    assert not (data_dir / "warehouse.duckdb").exists()

    main_job(sandbox, small_account, data_dir)
    after = published_marts(data_dir)
    assert before.keys() == after.keys()
    assert sum(len(rows) for rows in before.values()) > 1000
    for mart, rows in before.items():
        assert after[mart] == rows, f"{mart} differs after a re-sync"
    purged = [row for row in after["customers"] if row[0] == customer_id]
    assert purged and None in purged[0], "the purged customer came back with its data"
