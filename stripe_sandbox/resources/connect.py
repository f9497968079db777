"""Connect and platform money: connected accounts, application fees, transfer reversals, top-ups."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

CONNECT_RESOURCES: tuple[Resource, ...] = ()
