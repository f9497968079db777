"""Many concurrent deliveries: each stored exactly once, none lost to a crash."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import httpx
import stripe

from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.raw.journal import TornLine, read_journal

SECRET = "whsec_burst"
CONCURRENCY = 50
CREATED = int(time.time())  # a re-delivery carries the same event: the same body


def signed_delivery(event_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "customer.updated",
            "created": CREATED,
            "data": {"object": {"id": f"cus_{event_id}", "object": "customer"}},
        }
    )
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    return body.encode(), {"stripe-signature": header, "content-type": "application/json"}


async def deliver_all(url: str, event_ids: list[str], on_ack=None) -> set[str]:
    """Post every event from CONCURRENCY workers at once; the ids answered 2xx.

    Each worker has its own one-connection client: httpx's pool scans all of
    its connections per request, which would make the client the bottleneck.
    Unacknowledged ids are simply missing (a crashed receiver, say).
    """
    acknowledged: set[str] = set()
    queue = iter(event_ids)

    async def worker() -> None:
        # plain HTTP on 127.0.0.1: skip loading CA certificates (~0.1 s per client)
        async with httpx.AsyncClient(timeout=30, verify=False) as client:
            for event_id in queue:
                body, headers = signed_delivery(event_id)
                try:
                    answer = await client.post(url, content=body, headers=headers)
                except httpx.TransportError:
                    continue
                if answer.is_success:
                    acknowledged.add(event_id)
                    if on_ack is not None:
                        on_ack(len(acknowledged))

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return acknowledged


def landed(data_dir, torn: list[TornLine] | None = None) -> list[str]:
    folder = data_dir / "landing" / "webhooks"
    return [r["event_id"] for r in read_journal(folder, torn)]


def test_a_burst_of_1000_duplicated_deliveries_is_stored_once_each(tmp_path):
    event_ids = [f"evt_burst{i:04d}" for i in range(1000)]
    with ReceiverProcess(tmp_path, secrets=(SECRET,)) as receiver:
        acknowledged = asyncio.run(deliver_all(receiver.url, event_ids + event_ids[:100]))
    assert acknowledged == set(event_ids)
    stored = landed(tmp_path)
    assert sorted(stored) == sorted(event_ids)
    files = (tmp_path / "landing" / "webhooks").glob("*.jsonl")
    raw_lines = sum(len(p.read_bytes().splitlines()) for p in files)
    assert raw_lines == 1000


def test_a_receiver_killed_mid_burst_loses_no_acknowledged_delivery(tmp_path):
    event_ids = [f"evt_kill{i:04d}" for i in range(1000)]
    receiver = ReceiverProcess(tmp_path, secrets=(SECRET,))
    receiver.start()

    def kill_after_300(count: int) -> None:
        if count == 300:
            os.kill(receiver.process.pid, signal.SIGKILL)

    try:
        acknowledged = asyncio.run(deliver_all(receiver.url, event_ids, kill_after_300))
        receiver.process.wait()
        assert 300 <= len(acknowledged) < len(event_ids)
        torn: list[TornLine] = []
        assert acknowledged <= set(landed(tmp_path, torn))
        assert len(torn) <= 1
        receiver.start()
        unacknowledged = [i for i in event_ids if i not in acknowledged]
        resent = unacknowledged + sorted(acknowledged)[:50]  # Stripe retries; some twice
        retried = asyncio.run(deliver_all(receiver.url, resent))
    finally:
        receiver.stop()
    assert retried == set(resent)
    assert sorted(landed(tmp_path)) == sorted(event_ids)
