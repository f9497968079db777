"""Does every field the SDK types as expandable expand? Asked over HTTP.

For each expandable path a served object holds an id at, that object is
retrieved (or its list page fetched) with `expand[]`: the id must become the
object it names. Ids of objects the account does not hold may stay ids only
when `gaps.UNHELD_OBJECTS` lists their class. Includable lists must appear
as lists. Paths with no id anywhere in the account are only asked to be
accepted.
"""

from __future__ import annotations

from stripe_sandbox.conformance.client import Api, Finding, error_of
from stripe_sandbox.conformance.discovery import Served
from stripe_sandbox.conformance.gaps import EXPANSION_GAPS, unheld
from stripe_sandbox.conformance.matching import UNIVERSE, values_at
from stripe_sandbox.conformance.sdk_contract import Expansion, expansions


def check_expansions(api: Api, served: Served, retrieve: Served | None) -> list[Finding]:
    """Expansions of a list's items, on the list itself and on the retrieve endpoint."""
    found = []
    if not served.objects:
        subject = "expand data.{}".format
        return [Finding(served.endpoint.path, subject(e.path), "vacuous", "no object to expand",
                        e.doc) for e in expansions(served.endpoint)]  # fmt: skip
    for expansion in expansions(served.endpoint):
        gap = f"{served.endpoint.path} {expansion.path}" in EXPANSION_GAPS
        on_list = expand_on(api, served.path, served, expansion, in_list=True, gap=gap)
        found.append(Finding(served.endpoint.path, f"expand data.{expansion.path}", *on_list,
                             expansion.doc))  # fmt: skip
        if retrieve is not None and served.objects:
            one = expand_on(api, retrieve.path, served, expansion, in_list=False, gap=gap)
            found.append(Finding(retrieve.endpoint.path, f"expand {expansion.path}", *one,
                                 expansion.doc))  # fmt: skip
    return found


def holder(served: Served, expansion: Expansion) -> dict | None:
    """A served object with an id at the path (for includable lists: any object)."""
    for obj in served.objects:
        if expansion.includable or any(isinstance(v, str) for v in values_at(obj, expansion.path)):
            return obj
    return None


def belongs(item: object, parent: dict) -> bool:
    """An included item that names its parent (`invoice` on an invoice's payments) names it."""
    back = item.get(parent.get("object", "")) if isinstance(item, dict) else None
    return not isinstance(back, str) or back == parent.get("id")


def expand_on(
    api: Api, path: str, served: Served, expansion: Expansion, in_list: bool, gap: bool
) -> tuple[str, str]:
    """(verdict, detail) of expanding on a list page or on one retrieved object."""
    sample = holder(served, expansion)
    if in_list:
        params = {**UNIVERSE.get(served.endpoint.path, {}), "limit": 100}
        params["expand[]"] = f"data.{expansion.path}"
        status, body = api.get(path, params)
        objects = body.get("data", []) if status == 200 else []
    else:
        target = f"{path.rsplit('/', 1)[0]}/{sample['id']}" if sample else path
        status, body = api.get(target, {"expand[]": expansion.path})
        objects = [body] if status == 200 else []
    if status != 200:
        return "failed", error_of(status, body)
    before = {o["id"]: o for o in served.objects}
    pairs = [(before[o["id"]], o) for o in objects if o.get("id") in before]
    return judge(expansion, pairs, sample is not None, gap)


def judge(
    expansion: Expansion, pairs: list[tuple[dict, dict]], held: bool, gap: bool
) -> tuple[str, str]:
    if expansion.includable and not pairs:
        return "vacuous", "no object to include it in"
    if expansion.includable:
        lists = [values_at(after, expansion.path) for _, after in pairs]
        items = [(i, before) for before, after in pairs
                 for i in values_at(after, f"{expansion.path}.data")]  # fmt: skip
        strays = [item for item, before in items if not belongs(item, before)]
        if strays:
            return "failed", f"{len(strays)} included items name another parent"
        ok = all(v and isinstance(v[0], dict) and v[0].get("object") == "list"
                           for v in lists)  # fmt: skip
        return ("honoured", "included as a list") if ok else ("failed", "not included")
    ids = expanded = left = 0
    for before, after in pairs:
        old = [v for v in values_at(before, expansion.path) if isinstance(v, str)]
        new = values_at(after, expansion.path)
        ids += len(old)
        expanded += sum(isinstance(v, dict) and v.get("id") in old for v in new)
        left += sum(isinstance(v, str) for v in new)
    if not ids:
        return "vacuous", "accepted; no id there" + ("" if held else " in the account")
    if left == 0 and expanded == ids:
        return "honoured", f"{expanded} ids expanded"
    verdict = "gap" if left and (gap or unheld(expansion.targets)) else "failed"
    return (
        verdict,
        f"{expanded} of {ids} expanded, {left} left as ids ({'/'.join(expansion.targets)})",
    )
