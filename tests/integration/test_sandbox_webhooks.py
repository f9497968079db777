"""Webhook deliveries over real HTTP, checked by the SDK's own signature verification."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
import stripe

from stripe_sandbox.listing import AccountListing
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.webhooks import SIGNATURE_FORGERIES, deliver, sign

SECRET = "whsec_sandbox_test"


class Receiver(BaseHTTPRequestHandler):
    """Answers 200 to what `stripe.Webhook.construct_event` accepts, 400 otherwise."""

    received: list[tuple[str | None, bool]]  # (event id or None, signature accepted)

    def do_POST(self) -> None:
        payload = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            event = stripe.Webhook.construct_event(
                payload, self.headers.get("Stripe-Signature", ""), SECRET
            )
            self.received.append((event["id"], True))
            self.send_response(200)
        except (stripe.SignatureVerificationError, ValueError):
            self.received.append((None, False))
            self.send_response(400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def sandbox_account(tmp_path_factory):
    from stripe_sandbox.generator import ensure_account

    return ensure_account("small", data_dir=tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="module")
def events(sandbox_account) -> list[bytes]:
    return AccountListing(sandbox_account).events_oldest_first(limit=4)


@pytest.fixture
def receiver():
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks", Receiver.received
    server.shutdown()
    server.server_close()


def test_sign_matches_the_sdk_verifier(events):
    header = sign(events[0], SECRET, 1_800_000_000)
    assert header.startswith("t=1800000000,v1=")
    event = stripe.Webhook.construct_event(events[0], header, SECRET, tolerance=None)
    assert event["id"] == orjson.loads(events[0])["id"]


def test_genuine_deliveries_are_accepted(events, receiver):
    url, received = receiver
    deliveries = deliver(events, url, SECRET)
    assert [d.status for d in deliveries] == [200] * len(events) and len(events) == 4
    assert [event_id for event_id, _ in received] == [orjson.loads(e)["id"] for e in events]


@pytest.mark.parametrize("forge", sorted(SIGNATURE_FORGERIES))
def test_forged_signatures_are_rejected(events, receiver, forge):
    url, received = receiver
    deliveries = deliver(events[:2], url, SECRET, forge=forge)
    assert [d.status for d in deliveries] == [400, 400]
    assert received == [(None, False), (None, False)]


def test_replays_and_unknown_ids_pass_the_signature_check(events, receiver, sandbox_account):
    url, received = receiver
    replayed = deliver(events[:1], url, SECRET, forge="replay")
    assert len(replayed) == 2 and replayed[0].payload == replayed[1].payload
    assert replayed[0].headers == replayed[1].headers
    unknown = deliver(events[:1], url, SECRET, forge="unknown-id")
    assert [d.status for d in (*replayed, *unknown)] == [200, 200, 200]
    event_id = orjson.loads(events[0])["id"]
    assert [i for i, _ in received[:2]] == [event_id, event_id]
    with SandboxServer.for_preset("small", data_dir=sandbox_account.parent) as sandbox:
        assert sandbox.account_path == sandbox_account
        client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})
        assert client.v1.events.retrieve(event_id)["id"] == event_id
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.events.retrieve(received[2][0])  # Stripe knows no such event


def test_cli_delivers_stored_events(sandbox_account, receiver):
    url, received = receiver
    command = [sys.executable, "-m", "stripe_sandbox", "deliver", "--account",
               str(sandbox_account), "--url", url, "--secret", SECRET, "--limit", "3"]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "3 deliveries" in output and "200 × 3" in output
    assert len(received) == 3 and all(ok for _, ok in received)
