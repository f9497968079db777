"""The typed column of an older catalogue, derived again from the stored payloads.

When the catalogue's typed fields of a table change (a field added), its
partitions and `raw_stripe.<table>` hold `obj` of the old struct. `retype_table`
finds that by comparing the table's `obj` type with the catalogue's (one
`information_schema` query: the fast path of every partition write), and then
1. rewrites every partition file whose `obj` differs (Parquet footer), each
   replaced atomically: the same rows, `obj` derived from their payloads;
2. rebuilds the DuckDB table from its own rows, `obj` derived again, in one
   transaction (create, drop, rename).
Idempotent: the table's type changes last, so a writer killed in between finds
the table still stale at its next start and carries on; a file already rewritten
is skipped. A table not in DuckDB yet has only its files rewritten.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.catalog import raw_tables
from pipeline.raw.files import remove_stale_temps, replace_atomically, temp_path_for
from pipeline.raw.schema import PARTITION_FILE, column_definitions
from pipeline.raw.typed import TYPED_COLUMN, canonical_type, stored_schema, typed_select
from pipeline.raw.warehouse import Warehouse, connected, file_is_typed, transaction

BATCH_ROWS = 8192
MISSING = "missing"


def stored_type(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """`raw_stripe.<table>`'s `obj` type; None without `obj`, MISSING without the table."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw_stripe' and table_name = ?",
        [table],
    ).fetchall()
    if not rows:
        return MISSING
    return dict(rows).get(TYPED_COLUMN)


def stale_files(raw_dir: Path, table: str) -> list[Path]:
    """The table's partition files whose `obj` is not of the catalogue's typed fields."""
    folder = Path(raw_dir) / "stripe" / table
    files = sorted(folder.glob(f"month=*/{PARTITION_FILE}")) if folder.is_dir() else []
    return [path for path in files if not file_is_typed(table, path)]


def rewrite_file(path: Path, table: str) -> None:
    """The same rows, `obj` derived from their payloads, swapped in atomically."""
    remove_stale_temps(path.parent, path.name)
    tmp = temp_path_for(path)
    schema = stored_schema(table)
    quoted = str(path).replace("'", "''")
    relation = f"read_parquet('{quoted}', hive_partitioning = false)"
    try:
        with duckdb.connect() as con:
            con.execute("set TimeZone = 'UTC'")
            reader = con.execute(typed_select(table, relation)).to_arrow_reader(BATCH_ROWS)
            with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                rows = 0
                for batch in reader:
                    writer.write_batch(batch.cast(schema))
                    rows += batch.num_rows
                if rows == 0:
                    writer.write_table(schema.empty_table())
        replace_atomically(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def rebuild_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`raw_stripe.<table>` again with `obj` derived from its payloads, in one transaction."""
    new = f"{table}__typed"
    with transaction(con):
        con.execute(f"drop table if exists raw_stripe.{new}")
        con.execute(f"create table raw_stripe.{new} ({', '.join(column_definitions(table))})")
        con.execute(
            f"insert into raw_stripe.{new} by name "
            f"{typed_select(table, f'raw_stripe.{table}')} order by rowid"
        )
        con.execute(f"drop table raw_stripe.{table}")
        con.execute(f"alter table raw_stripe.{new} rename to {table}")


def retype_table(raw_dir: Path, warehouse: Warehouse, table: str) -> list[Path]:
    """Bring a table's `obj` to the catalogue's typed fields; the files rewritten."""
    expected = canonical_type(table)
    if expected is None:
        return []
    with connected(warehouse) as con:
        held = stored_type(con, table)
        if held == expected:
            return []
        rewritten = stale_files(raw_dir, table)
        for path in rewritten:
            rewrite_file(path, table)
        if held != MISSING:
            rebuild_table(con, table)
    return rewritten


def retype_raw(raw_dir: Path, warehouse: Warehouse) -> dict[str, list[Path]]:
    """`retype_table` for every raw table; the files rewritten per table retyped."""
    done = {}
    with connected(warehouse) as con:
        for table in raw_tables():
            if rewritten := retype_table(raw_dir, con, table):
                done[table] = rewritten
    return done
