"""The catalogue's list parameters against the pinned SDK's own documentation of them.

The SDK's `stripe/params/_*_list_params.py` TypedDicts document every list
parameter with its values and its default (for the pinned API version). Each
parameter the catalogue sends must be one of its documented values; each
parameter whose docstring says its default leaves objects out must have an
explicit decision in the catalogue, so a new one cannot slip by.
"""

from __future__ import annotations

import ast
import inspect
import operator
import re

import pytest
import stripe.params

from pipeline.catalog import BY_NAME, STRIPE_OBJECTS, StripeObject
from pipeline.extract.children import child_request

EXCLUDING_DEFAULT = re.compile(
    r"if no value is supplied|will not include|not be returned|are not returned|"
    r"not included|excluded|unless|by default|leaves? out|omit",
    re.IGNORECASE,
)
DECISIONS = {"sent", "accepted"}


def documented_params(class_name: str) -> dict[str, tuple[str, str]]:
    """Parameter → (annotation source, docstring), read from the SDK's class source."""
    found = operator.attrgetter(class_name)(stripe.params)  # `radar.…Params` too
    source = inspect.getsource(inspect.getmodule(found))
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == found.__name__)
    params = {}
    for stmt, following in zip(cls.body, [*cls.body[1:], None], strict=True):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            doc = following.value.value if isinstance(following, ast.Expr) else ""
            params[stmt.target.id] = (ast.unparse(stmt.annotation), " ".join(doc.split()))
    return params


def documented_values(annotation: str, doc: str) -> set[str]:
    """A parameter's values: its `Literal[...]`, booleans, else the backticked ones in its doc."""
    literal = re.search(r"Literal\[([^\]]*)\]", annotation)
    if literal:
        return {str(v) for v in ast.literal_eval(f"({literal.group(1)},)")}
    if re.search(r"\bbool\b", annotation):
        return {"true", "false"}
    return set(re.findall(r"`(\w+)`", doc))


LISTED = list(STRIPE_OBJECTS)


def test_every_listed_object_names_its_sdk_params_and_says_what_a_list_returns() -> None:
    for obj in LISTED:
        assert obj.sdk_list_params, obj.name
        assert operator.attrgetter(obj.sdk_list_params)(stripe.params), obj.sdk_list_params
        assert obj.listing_note, obj.name
    for child in (c for obj in LISTED for c in obj.children):
        assert child.lists in BY_NAME, child.name  # child lists send their object's params


def test_child_lists_send_their_object_params_and_the_parent() -> None:
    (lines,) = BY_NAME["invoices"].children
    assert lines.path == BY_NAME["invoice_line_items"].list_path
    assert child_request(lines, {"id": "in_1"}) == (
        "/v1/invoices/in_1/lines",
        dict(BY_NAME["invoice_line_items"].list_params),
    )
    (swept,) = BY_NAME["payouts"].children
    assert child_request(swept, {"id": "po_1", "automatic": True}) == (
        "/v1/balance_transactions",
        {**dict(BY_NAME["balance_transactions"].list_params), "payout": "po_1"},
    )
    assert child_request(swept, {"id": "po_2", "automatic": False}) is None  # manual payouts


@pytest.mark.parametrize("obj", LISTED, ids=lambda o: o.name)
def test_every_sent_param_is_a_documented_value(obj: StripeObject) -> None:
    params = documented_params(obj.sdk_list_params)
    for name, value in obj.list_params:
        assert name in params, f"{obj.name}: {name} is not a list parameter"
        values = documented_values(*params[name])
        assert value in values, f"{obj.name}: {name}={value} not in {sorted(values)}"


@pytest.mark.parametrize("obj", LISTED, ids=lambda o: o.name)
def test_every_default_that_hides_objects_has_a_decision(obj: StripeObject) -> None:
    params = documented_params(obj.sdk_list_params)
    hiding = {name for name, (_, doc) in params.items() if EXCLUDING_DEFAULT.search(doc)}
    decided = {d.param: d for d in obj.list_defaults}
    assert hiding <= set(decided), f"{obj.name}: undecided defaults {hiding - set(decided)}"
    sent = dict(obj.list_params)
    for param, decision in decided.items():
        assert param in params, f"{obj.name}: {param} is not a list parameter"
        assert decision.decision in DECISIONS and decision.reason and decision.default
        assert (decision.decision == "sent") == (param in sent), (obj.name, param)


def test_subscriptions_are_listed_with_every_status() -> None:
    subscriptions = BY_NAME["subscriptions"]
    assert dict(subscriptions.list_params) == {"status": "all"}
    _, doc = documented_params(subscriptions.sdk_list_params)["status"]
    assert "If no value is supplied, all subscriptions that have not been canceled" in doc


def test_the_detector_sees_the_known_hiding_defaults() -> None:
    """The docstring patterns catch what the SDK documents today (so they can catch more)."""
    expected = {
        "SubscriptionListParams": {"status", "test_clock"},
        "CustomerListParams": {"test_clock"},
    }
    for class_name, hiding in expected.items():
        params = documented_params(class_name)
        found = {n for n, (_, doc) in params.items() if EXCLUDING_DEFAULT.search(doc)}
        assert found == hiding, class_name
