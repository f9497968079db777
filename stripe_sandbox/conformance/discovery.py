"""Which of the SDK's GET endpoints a server answers, with objects to probe them by.

Every SDK path is tried: lists directly, `{id}` paths with ids from the list
before them (`/v1/invoices/{id}/lines` with an invoice that has lines). A
path answered "Unrecognized request URL" is not served.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_sandbox.conformance.client import Api, is_unrecognized
from stripe_sandbox.conformance.matching import UNIVERSE
from stripe_sandbox.conformance.sdk_endpoints import Endpoint, sdk_get_endpoints

MISSING_ID = "conformance_missing"
PARENTS_TRIED = 25


@dataclass
class Served:
    """A served endpoint, the concrete path probed and the objects it answered with."""

    endpoint: Endpoint
    path: str  # template filled: "/v1/invoices/in_123/lines"
    objects: list[dict] = field(default_factory=list)  # every object of a list; one retrieved


def parent_list(template: str) -> str:
    """The list whose objects fill a template's last `{id}`: `/v1/x/{id}/y` → `/v1/x`."""
    return template[: template.rindex("/{id}")]


def fill(template: str, found: dict[str, Served]) -> list[str]:
    """Concrete paths for a template, from the objects of the list before its last `{id}`."""
    if "{id}" not in template:
        return [template]
    parent, tail = found.get(parent_list(template)), template[template.rindex("/{id}") + 5 :]
    objects = sorted(parent.objects, key=lambda o: not embeds(o, tail)) if parent else []
    ids = [o["id"] for o in objects if isinstance(o.get("id"), str)]
    return [f"{parent.path}/{i}{tail}" for i in ids[:PARENTS_TRIED]] if parent and ids else [
        template.replace("{id}", MISSING_ID)]  # fmt: skip


def embeds(obj: dict, tail: str) -> bool:
    """Does a parent carry items of its nested list (a fee's `refunds`)? Those go first."""
    embedded = obj.get(tail.strip("/").split("/")[0])
    return isinstance(embedded, dict) and bool(embedded.get("data"))


def discover(api: Api) -> dict[str, Served]:
    """Served endpoints by template, shallow paths first so deeper ones find ids."""
    found: dict[str, Served] = {}
    for endpoint in sorted(sdk_get_endpoints().values(), key=lambda e: e.path.count("/")):
        for path in fill(endpoint.path, found):
            served = probe_one(api, endpoint, path)
            if served is None:
                break  # unrecognized: the template is not served
            found[endpoint.path] = served
            if served.objects:
                break  # a parent with items (or a retrieved object) is enough
    return found


def probe_one(api: Api, endpoint: Endpoint, path: str) -> Served | None:
    if endpoint.is_list:
        objects = api.every(path, UNIVERSE.get(endpoint.path))
        if objects is None:
            status, body = api.get(path)
            return None if is_unrecognized(status, body) else Served(endpoint, path)
        return Served(endpoint, path, objects)
    status, body = api.get(path)
    if is_unrecognized(status, body):
        return None
    return Served(endpoint, path, [body] if status == 200 else [])
