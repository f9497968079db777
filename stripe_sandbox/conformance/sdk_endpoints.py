"""The GET endpoints the pinned `stripe` SDK knows, read from its service modules.

Each `*_service.py` method calls `self._request("get", "/v1/…", …)` with a
`params: Optional["XParams"]` argument and a `"ListObject[X]"` or `"X"`
return annotation; imports say which module defines each name. Read with
`ast`, so nothing of the SDK is executed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import stripe

SDK_DIR = Path(stripe.__file__).parent
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class Endpoint:
    """One GET endpoint: its path template and the SDK modules that describe it."""

    path: str  # "/v1/charges/{id}": every placeholder spelled `{id}`
    is_list: bool
    params_module: str  # "stripe.params._charge_list_params"
    params_class: str  # "ChargeListParams"
    item_module: str  # "stripe._charge"
    item_class: str  # "Charge"


def imported_modules(tree: ast.Module) -> dict[str, str]:
    """Name → defining module, from a module's `from stripe… import X` lines."""
    return {
        alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stripe")
        for alias in node.names
    }


def request_path(method: ast.FunctionDef) -> str | None:
    """The path of `self._request("get", "/v1/…"[.format(…)])`, or None."""
    for node in ast.walk(method):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "_request"):
            continue
        verb, target = [*node.args, None, None][:2]
        if not (isinstance(verb, ast.Constant) and verb.value == "get"):
            return None
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
            target = target.func.value  # "/v1/charges/{charge}".format(...)
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return PLACEHOLDER.sub("{id}", target.value)
    return None


def params_class(method: ast.FunctionDef) -> str | None:
    for arg in method.args.args:
        if arg.arg == "params" and arg.annotation is not None:
            names = re.findall(r"\w+Params\b", ast.unparse(arg.annotation))
            return names[0] if names else None
    return None


def service_endpoints(path: Path) -> list[Endpoint]:
    tree = ast.parse(path.read_text())
    modules = imported_modules(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or node.returns is None:
            continue
        url, params = request_path(node), params_class(node)
        if url is None or params is None or params not in modules:
            continue
        returns = ast.literal_eval(node.returns) if isinstance(node.returns, ast.Constant) else ""
        is_list = returns.startswith("ListObject[")
        item = returns.removeprefix("ListObject[").removesuffix("]")
        if item in modules:
            found.append(Endpoint(url, is_list, modules[params], params, modules[item], item))
    return found


@cache
def sdk_get_endpoints() -> dict[str, Endpoint]:
    """Every GET endpoint of the SDK's v1 services, by path template."""
    endpoints: dict[str, Endpoint] = {}
    for path in sorted(SDK_DIR.rglob("_*_service.py")):
        for endpoint in service_endpoints(path):
            if endpoint.path.startswith("/v1/"):
                endpoints.setdefault(endpoint.path, endpoint)
    return endpoints


def module_source(module: str) -> Path:
    return SDK_DIR.parent.joinpath(*module.split(".")).with_suffix(".py")
