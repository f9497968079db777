"""The typed column `obj`: the catalogue's typed fields of a raw table, parsed once at load.

Every batch written to raw (`pipeline.raw.partition`) gets `obj`, DuckDB's
`from_json(payload, <structure>)` with the structure of
`pipeline.catalog.typed_fields`, beside the untouched payload, in the Parquet
partition and in `raw_stripe.<table>`; staging reads `obj.<field>` instead of
parsing JSON on every build. `json` fields are stored as their JSON text
(`varchar`), so Parquet and DuckDB hold one type. A field of another type in
the payload comes out null (as `from_json` does); a payload that is not JSON at
all gets a null `obj`. A table declaring no typed fields has no `obj`.
"""

from __future__ import annotations

import functools

import duckdb
import pyarrow as pa

from pipeline.catalog import json_structure, typed_fields
from pipeline.catalog.typed_fields import Fields, FieldType
from pipeline.extract.schema import raw_schema

TYPED_COLUMN = "obj"


def _sql_type(type_: FieldType) -> str:
    if isinstance(type_, str):
        return "VARCHAR" if type_ == "json" else type_.upper()
    if isinstance(type_, list | tuple):
        (item,) = type_
        return f"{_sql_type(item)}[]"
    return sql_struct(type_)


def sql_struct(fields: Fields) -> str:
    """The DuckDB type of `obj` for these fields: `STRUCT("amount" BIGINT, …)`."""
    members = ", ".join(f'"{name}" {_sql_type(type_)}' for name, type_ in fields.items())
    return f"STRUCT({members})"


def typed_type(table: str) -> str | None:
    """The DuckDB type of a raw table's `obj`, or None when it declares no typed fields."""
    fields = typed_fields(table)
    return sql_struct(fields) if fields else None


def typed_expression(table: str, column: str = "payload") -> str | None:
    """SQL computing `obj` from the payload column, or None without typed fields."""
    fields = typed_fields(table)
    if not fields:
        return None
    structure = json_structure(fields).replace("'", "''")
    return f"cast(try(from_json({column}, '{structure}')) as {sql_struct(fields)})"


@functools.cache
def _arrow_type(struct: str) -> pa.DataType:
    """The Arrow type DuckDB gives a struct (read once per type, by DuckDB itself)."""
    with duckdb.connect() as con:
        return con.execute(f"select cast(null as {struct}) as obj").to_arrow_table().schema[0].type


@functools.cache
def _canonical(struct: str) -> str:
    """How DuckDB spells a type in `information_schema.columns.data_type`."""
    with duckdb.connect() as con:
        return con.execute(f"select typeof(cast(null as {struct}))").fetchone()[0]


def typed_arrow_type(table: str) -> pa.DataType | None:
    struct = typed_type(table)
    return _arrow_type(struct) if struct else None


def canonical_type(table: str) -> str | None:
    """A table's `obj` type as DuckDB names it (to compare with what a table holds)."""
    struct = typed_type(table)
    return _canonical(struct) if struct else None


def stored_schema(table: str) -> pa.Schema:
    """The Arrow schema of a raw partition: the raw columns, `obj` right after `payload`."""
    schema = raw_schema(table)
    arrow_type = typed_arrow_type(table)
    if arrow_type is None:
        return schema
    return schema.insert(schema.get_field_index("payload") + 1, pa.field(TYPED_COLUMN, arrow_type))


def typed_select(table: str, relation: str) -> str:
    """`select` of the stored columns from `relation` (raw columns), `obj` derived from
    its payload."""
    expression = typed_expression(table)
    columns = [
        f"{expression} as {name}" if name == TYPED_COLUMN else name
        for name in stored_schema(table).names
    ]
    return f"select {', '.join(columns)} from {relation}"


def with_typed(con: duckdb.DuckDBPyConnection, rows: pa.Table, table: str) -> pa.Table:
    """`rows` (raw columns, `obj` or not) with `obj` derived again from their payloads."""
    if typed_type(table) is None:
        return rows
    raw = rows.select(raw_schema(table).names)
    con.register("typed_rows", raw)
    try:
        return (
            con.execute(typed_select(table, "typed_rows"))
            .to_arrow_table()
            .cast(stored_schema(table))
        )
    finally:
        con.unregister("typed_rows")
