"""Billing: coupons, promotion codes, tax rates, credit notes, subscription items, balance."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

BILLING_RESOURCES: tuple[Resource, ...] = ()
