"""Credit notes and their lines, and the customer balance they credit."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

CREDIT_RESOURCES: tuple[Resource, ...] = ()
