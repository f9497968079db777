"""Each event type the project applies is listed in the catalogue, as Stripe documents it."""

import ast
import inspect

import orjson
from stripe.params import _webhook_endpoint_create_params

from pipeline.catalog import BY_OBJECT, CARRIED_EVENT_TYPES, STRIPE_OBJECTS
from stripe_sandbox.store import open_reader


def documented_event_types() -> set[str]:
    """Every event type the pinned SDK lets a webhook endpoint enable."""
    tree = ast.parse(inspect.getsource(_webhook_endpoint_create_params))
    (annotation,) = (
        node.annotation
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "enabled_events"
    )
    literals = {n.value for n in ast.walk(annotation) if isinstance(n, ast.Constant)}
    return {value for value in literals if isinstance(value, str)} - {"*"}


def test_every_catalogued_event_type_is_documented_and_belongs_to_one_object():
    documented = documented_event_types()
    assert len(documented) > 200  # the SDK's list, not an empty parse
    owners: dict[str, str] = {}
    for obj in STRIPE_OBJECTS:
        for event_type in obj.event_types:
            assert event_type in documented, f"{obj.name}: {event_type} is not a Stripe event type"
            assert owners.setdefault(event_type, obj.name) == obj.name, event_type
    for event_type, reason in CARRIED_EVENT_TYPES.items():
        assert event_type in documented and event_type not in owners and reason, event_type


def test_every_event_the_sandbox_sends_is_catalogued_under_its_object(small_account):
    store = open_reader(small_account)
    seen: dict[str, str] = {}
    for (body,) in store.execute("select body from objects where resource = 'events'"):
        event = orjson.loads(body)
        seen.setdefault(event["type"], event["data"]["object"]["object"])
    assert len(seen) > 10
    for event_type, kind in sorted(seen.items()):
        if event_type in CARRIED_EVENT_TYPES:
            continue
        obj = BY_OBJECT.get(kind)
        assert obj is not None, f"{event_type}: its object {kind!r} is not in the catalogue"
        assert event_type in obj.event_types, f"{event_type} is not listed by {obj.name}"
