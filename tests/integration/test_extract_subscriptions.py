"""Subscriptions are listed as Stripe documents it, and the raw layer holds every one.

`GET /v1/subscriptions` without `status` returns "all subscriptions that have
not been canceled" (SubscriptionListParams.status); `status=all` returns every
status. The extractor sends the catalogue's `status=all`, so the raw layer
holds the canceled ones too. Checked through the official SDK against the
default sandbox account.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import duckdb
import pytest
import stripe

from pipeline.extract import StripeHttp
from pipeline.months import month_of, months_between
from pipeline.raw.loader import extract_to_raw
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.starter import preset_first_month
from stripe_sandbox.store import open_reader, read_meta

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def account(tmp_path_factory) -> Path:
    from stripe_sandbox.generator import ensure_account

    return ensure_account("default", data_dir=tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="module")
def sandbox(account):
    with SandboxServer(account) as server:
        yield server


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def listed(client: stripe.StripeClient, params: dict) -> dict[str, str]:
    """id → status of every subscription the list returns with `params`."""
    pages = client.v1.subscriptions.list({"limit": 100, **params}).auto_paging_iter()
    return {s.id: s.status for s in pages}


def test_a_plain_list_omits_canceled_subscriptions_and_status_all_returns_them(client):
    everything = listed(client, {"status": "all"})
    plain = listed(client, {})
    canceled = {i for i, status in everything.items() if status == "canceled"}
    assert canceled, "the default account has canceled subscriptions"
    assert not canceled & set(plain)
    assert set(plain) == set(everything) - canceled
    assert set(listed(client, {"status": "canceled"})) == canceled


def test_the_raw_layer_holds_every_subscription(client, sandbox, account, tmp_path):
    clock = int(read_meta(open_reader(account))["clock"])
    months = months_between(preset_first_month("default"), month_of(clock))
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url, requests_per_second=100,
                        endpoint_requests_per_second=100)  # fmt: skip
    warehouse = tmp_path / "warehouse.duckdb"
    asyncio.run(extract_to_raw(config, ["subscriptions"], months, tmp_path / "raw", warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select id, payload->>'status' from raw_stripe.subscriptions").fetchall()
    expected = listed(client, {"status": "all"})
    assert dict(rows) == expected
    assert "canceled" in {status for _, status in rows}
