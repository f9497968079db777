"""`docs/architecture.md` names what is on disk, and the layers the linter checks.

The doc's tree is read as names before `#`: `name/` a folder, `name.py` a
module, the depth given by the tree's `│   ` / `├── ` prefix. A module added,
moved or deleted without the tree following fails here.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
TREE_LINE = re.compile(r"^((?:│   |    )*)((?:├|└)── )?(.*)$")
PLACEHOLDERS = re.compile(r"\b(todo|fixme|tbd|xxx|placeholder)\b", re.I)
FLOW = "Stripe → extract → raw → events → staging → marts → serving"
DBT_BUILD_DIRS = {"target", "logs", "dbt_packages"}


def block_after(heading: str) -> list[str]:
    """The lines of the first ```text block after a `## heading`."""
    text = DOC.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1]
    return re.search(r"```text\n(.*?)```", section, flags=re.S).group(1).splitlines()


def tree_names() -> set[str]:
    """Every path the tree names, relative to the repository root."""
    names: set[str] = set()
    folders: list[str] = []
    for line in block_after("Tree"):
        prefix, branch, rest = TREE_LINE.match(line).groups()
        depth = len(prefix) // 4 + (1 if branch else 0)
        for name in rest.split("#")[0].split():
            path = "/".join([*folders[:depth], name.rstrip("/")])
            names.add(path)
            if name.endswith("/"):
                folders = [*folders[:depth], name.rstrip("/")]
    return names


def packages(folder: Path) -> list[Path]:
    return [p.parent for p in sorted(folder.rglob("__init__.py")) if "__pycache__" not in p.parts]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def on_disk() -> set[str]:
    """What the tree must name: all of `pipeline`, the sandbox's top level, dbt's folders."""
    expected = {rel(p) for p in packages(ROOT / "pipeline")}
    expected |= {rel(p) for p in (ROOT / "pipeline").rglob("*.py") if p.name != "__init__.py"}
    sandbox = ROOT / "stripe_sandbox"
    expected |= {rel(sandbox)} | {rel(p.parent) for p in sandbox.glob("*/__init__.py")}
    expected |= {rel(p) for p in sandbox.glob("*.py") if p.name != "__init__.py"}
    dbt = ROOT / "dbt_project"
    expected |= {rel(dbt)} | {rel(p) for p in (dbt / "models").iterdir() if p.is_dir()}
    expected |= {
        rel(p) for p in dbt.iterdir()
        if p.is_dir() and p.name not in DBT_BUILD_DIRS and not p.name.startswith(".")
    }  # fmt: skip
    return expected


def test_the_tree_names_every_package_and_module_on_disk():
    missing = sorted(on_disk() - tree_names())
    assert not missing, f"docs/architecture.md's tree lacks {missing}"


def test_everything_the_tree_names_exists():
    gone = sorted(name for name in tree_names() if not (ROOT / name).exists())
    assert not gone, f"docs/architecture.md's tree names what is not on disk: {gone}"


def test_the_doc_lists_the_layers_of_the_import_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    shown = [" ".join(line.split()) for line in block_after("Layers") if line.strip()]
    assert shown == [" ".join(layer.split()) for layer in layers]


def first_docstring_line(package: Path) -> str:
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    return (docstring or "").splitlines()[0].strip() if docstring else ""


def test_every_package_says_what_it_owns_in_its_first_docstring_line():
    for package in packages(ROOT / "pipeline") + packages(ROOT / "stripe_sandbox"):
        line = first_docstring_line(package)
        assert len(line) > 20, f"{rel(package)}/__init__.py: no first docstring line"
        assert not PLACEHOLDERS.search(line), f"{rel(package)}/__init__.py: {line!r}"
        assert line.endswith("."), f"{rel(package)}/__init__.py: {line!r} is not a sentence"


def test_the_top_package_says_the_flow():
    assert FLOW in first_docstring_line(ROOT / "pipeline")
