"""Each dbt model's columns as the warehouse built them, described as the dbt project does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg

from pipeline.raw.warehouse import open_warehouse

COLUMN_SCHEMA = "dagster/column_schema"

Columns = list[tuple[str, str]]
"""`[(column, type), ...]` in the table's order."""


def warehouse_columns(warehouse: Path) -> dict[tuple[str, str], Columns]:
    """`{(schema, table or view): columns}` for every relation of the warehouse."""
    with open_warehouse(warehouse, read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type"
            " from information_schema.columns where table_catalog = current_database()"
            " order by table_schema, table_name, ordinal_position"
        ).fetchall()
    relations: dict[tuple[str, str], Columns] = {}
    for schema, table, column, data_type in rows:
        relations.setdefault((schema, table), []).append((column, data_type))
    return relations


def column_schema(node: Mapping[str, Any], columns: Columns) -> dg.TableSchema:
    """The built columns with their types, each described as the model's yml describes it."""
    described = {name.lower(): props for name, props in node.get("columns", {}).items()}
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name,
                type=data_type,
                description=described.get(name.lower(), {}).get("description") or None,
            )
            for name, data_type in columns
        ]
    )


def column_schemas(
    warehouse: Path, manifest: Mapping[str, Any], unique_ids: Iterable[str]
) -> dict[str, dg.TableSchema]:
    """`{unique_id: schema}` for the given dbt nodes the warehouse holds (one query for all)."""
    relations = warehouse_columns(warehouse)
    schemas = {}
    for unique_id in unique_ids:
        node = manifest["nodes"].get(unique_id, {})
        columns = relations.get((node.get("schema"), node.get("alias") or node.get("name")))
        if columns:
            schemas[unique_id] = column_schema(node, columns)
    return schemas
