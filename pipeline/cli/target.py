"""The Stripe account a run reads, and the resources that point at it: Stripe itself when
STRIPE_API_KEY is set, else the embedded sandbox."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.defs.definitions import defs
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.settings import RESOURCE_VARIABLES, stripe_settings
from stripe_sandbox.starter import SandboxServer, account_clock, preset_first_month

SANDBOX_LIMITS = {"requests_per_second": 200.0, "endpoint_requests_per_second": 100.0}
"""The embedded sandbox has no rate limits unless asked: extract at what it serves."""


@dataclass(frozen=True)
class Target:
    """The Stripe account a run reads: an API key and where to send it."""

    api_key: str
    api_base: str | None
    sandbox: object | None = None
    preset: str | None = None  # the sandbox account's preset, whose first month is known


@contextlib.contextmanager
def stripe_target() -> Iterator[Target]:
    """Stripe itself when STRIPE_API_KEY is set, else the embedded sandbox."""
    settings = stripe_settings()
    if settings.api_key:
        yield Target(settings.api_key, settings.api_base)
        return
    preset = settings.sandbox_preset
    print(f"STRIPE_API_KEY is not set: using the embedded Stripe sandbox ({preset} account).")
    with SandboxServer.for_preset(preset) as sandbox:
        yield Target(sandbox.api_key, sandbox.base_url, sandbox, preset)


def key_setting(target: Target) -> str | dg.EnvVar:
    """The key as the resource is given it: a key from the environment by the variable's
    name (Dagster keeps a resource's plain values in its run history, an `EnvVar` only
    as its name), the sandbox's test key as it is."""
    variable = RESOURCE_VARIABLES["api_key"]
    if target.sandbox is None and os.environ.get(variable) == target.api_key:
        return dg.EnvVar(variable)
    return target.api_key


def run_resources(target: Target, data_dir: Path = Path("data")) -> dict[str, object]:
    resources = dict(defs.resources or {})
    sandbox = target.sandbox
    resources["stripe"] = StripeResource(
        api_key=key_setting(target),
        api_base=target.api_base,
        clock=account_clock(sandbox.account_path) if sandbox else None,
        start_month=stripe_settings().start_month
        or (preset_first_month(target.preset) if target.preset else None),
        **(SANDBOX_LIMITS if sandbox else {}),
    )
    resources["warehouse"] = WarehouseResource(
        data_dir=str(data_dir),
        warehouse_path=str(data_dir / "warehouse.duckdb"),
        raw_dir=str(data_dir / "raw"),
    )
    return resources
