"""`make run`'s printout says how many references dangle, from marts.dangling_references."""

from __future__ import annotations

import duckdb

from pipeline.cli.report import dangling_lines


def test_the_printout_counts_dangling_references_and_shows_examples() -> None:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.dangling_references as select * from (values"
        " ('charges.customer_id -> customers.customer_id', 7, 2, ['cus_a', 'cus_b']),"
        " ('invoices.charge_id -> charges.charge_id', 0, 0, []::varchar[]))"
        " as t(reference, dangling_row_count, dangling_id_count, example_ids)"
    )
    lines = dangling_lines(con)
    assert lines[0].startswith("Dangling references: 1 of 2 references dangle")
    assert lines[1:] == [
        "  charges.customer_id -> customers.customer_id: 7 rows, 2 missing ids, e.g. cus_a, cus_b"
    ]


def test_a_warehouse_without_the_mart_says_so_instead_of_failing() -> None:
    assert "not built" in dangling_lines(duckdb.connect())[0]
