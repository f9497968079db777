"""The Stripe resources the sandbox serves, said once, as data: the sandbox's own.

The sandbox stands for Stripe, so it keeps its own description of Stripe and
imports nothing of the pipeline: the two cannot agree by construction. Tests
hold this table to Stripe's published artifacts (the pinned SDK's params and
resource classes, fixtures3.json).
"""

from __future__ import annotations

from stripe_sandbox.resources.billing import BILLING_RESOURCES
from stripe_sandbox.resources.connect import CONNECT_RESOURCES
from stripe_sandbox.resources.core import CORE_RESOURCES
from stripe_sandbox.resources.credits import CREDIT_RESOURCES
from stripe_sandbox.resources.model import Resource
from stripe_sandbox.resources.payments import PAYMENT_RESOURCES

__all__ = ["Resource"]

API_VERSION = "2026-10-28.endive"
"""The API version the sandbox renders (the pinned `stripe` SDK's default)."""


RESOURCES: tuple[Resource, ...] = (
    *CORE_RESOURCES,
    *PAYMENT_RESOURCES,
    *BILLING_RESOURCES,
    *CREDIT_RESOURCES,
    *CONNECT_RESOURCES,
)

BY_NAME: dict[str, Resource] = {o.name: o for o in RESOURCES}
BY_OBJECT: dict[str, Resource] = {o.object: o for o in RESOURCES}
ZERO_DECIMAL_CURRENCIES: frozenset[str] = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
     "vuv", "xaf", "xof", "xpf"}
)  # fmt: skip
