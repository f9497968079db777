"""Every connection to the warehouse is opened by `pipeline.raw.warehouse.open_warehouse`, so
the database behind it is chosen in one place: no other module of the pipeline calls
`duckdb.connect` with a database (an in-memory `duckdb.connect()` is not the warehouse)."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
OPENER = PIPELINE / "raw" / "warehouse.py"


def connects_to_a_database(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "connect"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "duckdb"
        and bool(node.args or node.keywords)
    )


def test_only_open_warehouse_connects_to_a_database():
    found = [
        (path, node.lineno)
        for path in sorted(PIPELINE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if connects_to_a_database(node)
    ]
    assert [path for path, _ in found] == [OPENER], found
