"""What the SDK says an endpoint accepts and can expand, read with `ast`.

Parameters come from the endpoint's `*Params` TypedDict: names (dict-typed
ones flattened to `payment[type]`), `Literal[...]` enum values, range types
(`…Created|int`), arrays, booleans, and each attribute's docstring.
Expansions come from the item class: `ExpandableField[...]` attributes (at
any depth of its inner classes, through lists) and includable `ListObject`s.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache

from stripe_sandbox.conformance.sdk_endpoints import Endpoint, module_source

PAGING = frozenset({"limit", "starting_after", "ending_before", "expand"})
MAX_DEPTH = 4  # Stripe expands at most four levels


@dataclass(frozen=True)
class Param:
    name: str  # "status", "payment[type]"
    doc: str
    enum: tuple[str, ...] = ()  # Literal values, when the SDK lists them
    kind: str = "string"  # string | bool | int | range | array


@dataclass(frozen=True)
class Expansion:
    path: str  # "payment_intent", "transfer_data.destination", "refunds"
    targets: tuple[str, ...]  # the SDK classes it may become: ("PaymentIntent",)
    doc: str
    includable: bool = False  # a ListObject returned only when expanded


@cache
def classes_of(module: str) -> dict[str, ast.ClassDef]:
    """Every class of a module by name, inner classes included."""
    tree = ast.parse(module_source(module).read_text())
    found: dict[str, ast.ClassDef] = {}
    for node in ast.walk(tree):  # breadth first: a module's own classes before inner ones
        if isinstance(node, ast.ClassDef):
            found.setdefault(node.name, node)
    return found


def attributes(cls: ast.ClassDef) -> list[tuple[str, str, str]]:
    """(name, annotation text without quotes, docstring) of a class body's annotated fields."""
    found, body = [], cls.body
    for i, node in enumerate(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            following = body[i + 1] if i + 1 < len(body) else None
            doc = ""
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                doc = " ".join(str(following.value.value).split())
            text = ast.unparse(node.annotation).replace("'", "").replace('"', "")
            found.append((node.target.id, text, doc))
    return [a for a in found if not a[0].startswith("_")]


def param_kind(text: str, classes: dict[str, ast.ClassDef]) -> str:
    bare = re.sub(r"^(NotRequired|Optional)\[(.*)\]$", r"\2", text)
    if re.fullmatch(r"\w+\|int", bare):
        return "range"
    if bare.startswith("List["):
        return "array"
    return {"bool": "bool", "int": "int"}.get(bare, "string")


def enum_values(text: str) -> tuple[str, ...]:
    match = re.search(r"Literal\[([^\]]*)\]", text)
    return tuple(v.strip() for v in match.group(1).split(",")) if match else ()


def nested_class(text: str, classes: dict[str, ast.ClassDef]) -> ast.ClassDef | None:
    names = [n for n in re.findall(r"\w+", text) if n in classes]
    return classes[names[0]] if len(names) == 1 and "|int" not in text else None


@cache
def list_params(endpoint: Endpoint) -> tuple[Param, ...]:
    """The filters of an endpoint (paging and `expand` left out), dicts flattened."""
    classes = classes_of(endpoint.params_module)
    found = []
    for name, text, doc in attributes(classes[endpoint.params_class]):
        if name in PAGING:
            continue
        inner = nested_class(text, classes)
        if inner is None:
            found.append(Param(name, doc, enum_values(text), param_kind(text, classes)))
            continue
        for sub, sub_text, sub_doc in attributes(inner):
            kind = param_kind(sub_text, classes)
            found.append(Param(f"{name}[{sub}]", sub_doc or doc, enum_values(sub_text), kind))
    return tuple(found)


def expansions_of(cls: ast.ClassDef, prefix: str = "") -> list[Expansion]:
    """Expandable paths of a class; annotations see only the class's own inner classes."""
    inner = {node.name: node for node in cls.body if isinstance(node, ast.ClassDef)}
    found = []
    for name, text, doc in attributes(cls):
        path = f"{prefix}{name}"
        for marker, includable in (("ExpandableField[", False), ("ListObject[", True)):
            if marker in text:
                targets = re.findall(r"\w+", text.split(marker, 1)[1])
                found.append(Expansion(path, tuple(t for t in targets if t != "Union"), doc,
                                       includable))  # fmt: skip
                break
        else:
            if path.count(".") < MAX_DEPTH - 1:
                for child in dict.fromkeys(n for n in re.findall(r"\w+", text) if n in inner):
                    found += expansions_of(inner[child], f"{path}.")
    return found


@cache
def expansions(endpoint: Endpoint) -> tuple[Expansion, ...]:
    """Every expandable path of the endpoint's item class (not prefixed by `data.`)."""
    classes = classes_of(endpoint.item_module)
    return tuple(expansions_of(classes[endpoint.item_class]))
