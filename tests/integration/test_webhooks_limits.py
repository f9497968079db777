"""The receiver's limits over real HTTP: time window, slow clients, header size, refusals."""

from __future__ import annotations

import contextlib
import json
import socket
import time

import httpx
import pytest
import stripe

from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.raw.journal import journal_files, read_journal

SECRET = "whsec_limits"
SLOW_CLIENTS = 50
TIMEOUTS = ("--body-timeout", "1", "--header-timeout", "1")


def event_body(event_id: str) -> str:
    return json.dumps({"id": event_id, "object": "event", "type": "charge.succeeded",
                       "created": int(time.time()), "livemode": False,
                       "data": {"object": {"id": "ch_1", "object": "charge"}}})  # fmt: skip


def post(url: str, body: str, timestamp: int | None = None, **headers):
    signature = stripe.WebhookSignature.generate_signature_header(body, SECRET, timestamp)
    headers = {"stripe-signature": signature, "content-type": "application/json", **headers}
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)


@pytest.fixture(scope="module")
def receiver(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("limits")
    with ReceiverProcess(data_dir, secrets=(SECRET,), options=TIMEOUTS) as running:
        yield running


def rejections(receiver) -> list[dict]:
    return list(read_journal(receiver.data_dir / "landing" / "rejections"))


def landed(receiver) -> list[str]:
    return [r["event_id"] for r in read_journal(receiver.data_dir / "landing" / "webhooks")]


def test_a_timestamp_an_hour_ahead_is_refused(receiver):
    answer = post(receiver.url, event_body("evt_future"), timestamp=int(time.time()) + 3600)
    assert (answer.status_code, answer.json()["error"]) == (400, "future_timestamp")
    assert post(receiver.url, event_body("evt_now")).status_code == 200
    assert "evt_future" not in landed(receiver) and "evt_now" in landed(receiver)


def slow_client(port: int, headers_done: bool) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    request = b"POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\n"
    if headers_done:
        request += b"content-length: 1000\r\ncontent-type: application/json\r\n\r\n{"
    sock.sendall(request)
    return sock


def closed_by_server(sock: socket.socket) -> bytes | None:
    """What the server sent before closing, or None while it keeps the connection open."""
    sock.settimeout(0.2)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        return None
    except (ConnectionResetError, BrokenPipeError):
        pass
    return received or b"(closed)"


def test_slow_bodies_and_slow_headers_are_cut_off(receiver):
    clients = [slow_client(receiver.port, headers_done=i % 2 == 0) for i in range(SLOW_CLIENTS)]
    try:
        for _ in range(2):  # a byte a second on the body ones
            time.sleep(1)
            for sock in clients[::2]:
                with contextlib.suppress(OSError):
                    sock.sendall(b" ")
        assert post(receiver.url, event_body("evt_meanwhile")).status_code == 200
        time.sleep(1)
        outcomes = [closed_by_server(sock) for sock in clients]
    finally:
        for sock in clients:
            sock.close()
    assert all(outcome is not None for outcome in outcomes)
    assert all(b" 408 " in outcome for outcome in outcomes[::2])
    timeouts = [r for r in rejections(receiver) if r["reason"] == "body_timeout"]
    assert len(timeouts) == SLOW_CLIENTS // 2


def test_oversized_headers_are_refused(receiver):
    big = post(receiver.url, event_body("evt_bigheader"), **{"x-pad": "p" * 20_000})
    assert (big.status_code, big.json()["error"]) == (431, "headers_too_large")
    try:
        huge = post(receiver.url, event_body("evt_hugeheader"), **{"x-pad": "p" * 1024 * 1024})
        assert huge.status_code in (400, 431)
    except httpx.TransportError:
        pass  # closed while we were still sending: refused all the same
    assert not {"evt_bigheader", "evt_hugeheader"} & set(landed(receiver))


def test_unsigned_floods_leave_a_bounded_rejection_log(receiver):
    before = len(rejections(receiver))
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        for _ in range(600):
            answer = client.post(receiver.url, content=b"x" * 4000)
            assert answer.status_code == 400
    elapsed = time.monotonic() - started
    written = rejections(receiver)[before:]
    assert len(written) <= 200 + 20 * elapsed + 2 < 600
    assert all(len(r["body_prefix"]) <= 1024 for r in written)
    folder = receiver.data_dir / "landing" / "rejections"
    assert sum(p.stat().st_size for p in journal_files(folder)) < 8 * 4 * 1024 * 1024
