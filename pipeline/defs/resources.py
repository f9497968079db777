"""Dagster resources: the Stripe API (or the embedded sandbox) and the warehouse paths."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import dagster as dg
import stripe
from pydantic import PrivateAttr

from pipeline.catalog import API_VERSION
from pipeline.extract import StripeHttp
from pipeline.extract.preflight import check_stripe_reachable
from pipeline.months import month_of
from pipeline.settings import (
    DEFAULT_API_BASE,
    SettingsError,
    check_api_base,
    check_api_key,
    check_month,
    stripe_settings,
)
from pipeline.stripe_ids import is_account_id
from stripe_sandbox.starter import PRESET_NAMES, SandboxServer, account_clock

SANDBOX_NOTICE = "STRIPE_API_KEY is not set: using the embedded Stripe sandbox at {url}"


class StripeResource(dg.ConfigurableResource):
    """Stripe API access; with no `api_key` the embedded sandbox is started for the run.

    Rate limits default by the key's mode: 100 requests/s live, 25/s test,
    25/s per endpoint in both. The key never reaches logs or metadata.
    """

    api_key: str | None = None
    api_base: str | None = None
    stripe_account: str | None = None
    api_version: str = API_VERSION
    requests_per_second: float | None = None
    endpoint_requests_per_second: float = StripeHttp.endpoint_requests_per_second  # its default
    max_concurrency: int = 16
    max_retries: int = 8
    sandbox_preset: str = "default"
    clock: int | None = None  # the account's "now" in Unix seconds; the sandbox has its own
    start_month: str | None = None  # STRIPE_START_MONTH, checked here; runs start there

    _sandbox: Any = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Settings checked and the API reached once before any step runs: a wrong
        one fails the run with one line (`SettingsError`), the key masked."""
        if self.api_key:
            self.check_settings()
            return
        stripe_settings(
            {"STRIPE_SANDBOX_PRESET": self.sandbox_preset}, presets=PRESET_NAMES
        )  # a known preset
        self._sandbox = SandboxServer.for_preset(self.sandbox_preset).__enter__()
        if context.log:
            context.log.info(SANDBOX_NOTICE.format(url=self._sandbox.base_url))
        self.check_settings()

    def check_settings(self) -> None:
        key, base = self._key_and_base()
        check_api_key(key)
        base = check_api_base(base)
        if self.stripe_account and not is_account_id(self.stripe_account):
            raise SettingsError(f"STRIPE_ACCOUNT={self.stripe_account[:40]!r} is not an acct_… id")
        if self.start_month:
            check_month(self.start_month, "STRIPE_START_MONTH", month_of(self.now()))
        check_stripe_reachable(key, base, self.stripe_account, api_version=self.api_version)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._sandbox is not None:
            self._sandbox.__exit__(None, None, None)
            self._sandbox = None

    @property
    def is_sandbox(self) -> bool:
        return not self.api_key

    def now(self) -> int:
        """Stripe's "now" for retention windows: the sandbox's clock, else the wall clock."""
        if self.clock is not None:
            return self.clock
        if self._sandbox is not None:
            return account_clock(self._sandbox.account_path)
        return int(time.time())

    def _key_and_base(self) -> tuple[str, str]:
        if self._sandbox is not None:
            return self._sandbox.api_key, self._sandbox.base_url
        if not self.api_key:
            raise RuntimeError("StripeResource used outside a run: no key and no sandbox")
        return _resolved(self.api_key), self.api_base or DEFAULT_API_BASE

    def http_config(self) -> StripeHttp:
        """Settings for the plain-HTTP extractor (the hot path)."""
        key, base = self._key_and_base()
        return StripeHttp(
            api_key=key,
            api_base=base,
            stripe_account=self.stripe_account,
            api_version=self.api_version,
            requests_per_second=self.requests_per_second,
            endpoint_requests_per_second=self.endpoint_requests_per_second,
            max_concurrency=self.max_concurrency,
            max_retries=self.max_retries,
        )

    def sdk_client(self) -> stripe.StripeClient:
        """The official SDK, for retrieves and everything off the hot path."""
        key, base = self._key_and_base()
        return stripe.StripeClient(
            key,
            base_addresses={"api": base},
            stripe_account=self.stripe_account,
            stripe_version=self.api_version,
            max_network_retries=self.max_retries,
        )


def _resolved(value: str) -> str:
    """A setting's value: an `EnvVar` (what `make run` passes for a key from the
    environment) is read here when the resource is used outside a run, as Dagster reads
    it inside one."""
    return value.get_value() or "" if isinstance(value, dg.EnvVar) else value


class WarehouseResource(dg.ConfigurableResource):
    """Where the raw Parquet, the DuckDB warehouse and the landing files live."""

    data_dir: str = "data"
    warehouse_path: str = "data/warehouse.duckdb"
    raw_dir: str = "data/raw"

    @property
    def warehouse(self) -> Path:
        path = Path(self.warehouse_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def state_dir(self) -> Path:
        """What runs remember between them (the account's first month, checkpoints)."""
        return Path(self.data_dir) / "state"

    def dbt_vars(self) -> list[str]:
        """dbt's `--vars` naming this warehouse (profiles.yml reads `warehouse_path`)."""
        return ["--vars", json.dumps({"warehouse_path": str(self.warehouse.resolve())})]
