"""Imports of the project's own modules sit at the top of a module: one inside a function
body hides a cycle, unless a comment beside it says why it waits (a heavy dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWN = ("pipeline", "stripe_sandbox")


def own_module(node: ast.AST) -> str | None:
    """The project module a node imports, if it is an import of ours (importlib too)."""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return node.module if node.module.split(".")[0] in OWN else None
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names if a.name.split(".")[0] in OWN]
        return names[0] if names else None
    if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
            and node.args and isinstance(node.args[0], ast.Constant)):  # fmt: skip
        name = str(node.args[0].value)
        return name if name.split(".")[0] in OWN else None
    return None


def unexplained_function_imports(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    found = []
    for function in ast.walk(ast.parse(path.read_text())):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            module = own_module(node)
            if module is None:
                continue
            above = [line.strip() for line in lines[: node.lineno - 1] if line.strip()]
            said = "#" in lines[node.lineno - 1] or (above and above[-1].startswith("#"))
            if not said:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    return found


def test_no_unexplained_function_level_import_of_our_modules():
    files = [p for pkg in OWN for p in sorted((ROOT / pkg).rglob("*.py"))]
    assert len(files) > 100
    found = [line for f in files for line in unexplained_function_imports(f)]
    assert found == []


def test_the_check_sees_a_hidden_import(tmp_path):
    module = tmp_path / "hidden.py"
    module.write_text("def f():\n    from pipeline.raw import loader\n    return loader\n")
    assert unexplained_function_imports_at(module) == ["hidden.py:2 imports pipeline.raw"]
    module.write_text(
        "def f():\n    # heavy: waits until needed\n    from pipeline.raw import loader\n"
    )
    assert unexplained_function_imports_at(module) == []


def unexplained_function_imports_at(path: Path) -> list[str]:
    """The same check for a file outside the tree (paths shown relative to its folder)."""
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return unexplained_function_imports(path)
    finally:
        ROOT = saved
