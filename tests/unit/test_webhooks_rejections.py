"""The rejection log stays bounded: a rate limit, short body prefixes, rotated files."""

from __future__ import annotations

from pipeline.events.webhooks.delivery import Rejection
from pipeline.events.webhooks.rejections import BODY_PREFIX_CHARS, RejectionLog, TokenBucket
from pipeline.raw.journal import journal_files, read_journal

UNSIGNED = Rejection(400, "missing_signature", "no Stripe-Signature header")


def test_the_token_bucket_lets_a_burst_through_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(5)] == [True, True, True, False, False]
    now[0] = 1.0
    assert [bucket.take() for _ in range(3)] == [True, True, False]


def test_refusals_over_the_rate_are_counted_in_one_line(tmp_path):
    log = RejectionLog(tmp_path, rate=0.0001, burst=5)
    written = [log.record(UNSIGNED, b"x" * 10_000, 10_000, "10.0.0.1") for _ in range(1000)]
    assert written.count(True) == 5
    log.bucket.tokens = 2  # one for the summary line, one for this refusal
    assert log.record(UNSIGNED, b"", 0, None)
    log.close()
    lines = list(read_journal(tmp_path))
    assert len(lines) == 7
    assert all(len(line["body_prefix"]) <= BODY_PREFIX_CHARS for line in lines)
    (summary,) = [line for line in lines if line["reason"] == "rate_limited"]
    assert summary["detail"].startswith("995 refusals")


def test_files_rotate_and_only_the_newest_are_kept(tmp_path):
    log = RejectionLog(tmp_path, rate=1e9, burst=10**9, max_file_bytes=20_000, max_files=3)
    for _ in range(200):
        log.record(UNSIGNED, b"y" * 2_000, 2_000, None)
    log.close()
    files = journal_files(tmp_path)
    assert len(files) == 3
    assert sum(p.stat().st_size for p in files) < 3 * (20_000 + 2_000)


def test_the_same_request_refused_twice_has_one_id_and_two_lines(tmp_path):
    log = RejectionLog(tmp_path)
    for body in (b'{"id": "evt_1"}', b'{"id": "evt_1"}', b'{"id": "evt_2"}'):
        log.record(UNSIGNED, body, len(body), "10.0.0.1")
    log.close()
    log.record(UNSIGNED, b"", 10**9, "10.0.0.1")  # no body read (too large): each its own
    log.record(UNSIGNED, b"", 10**9, "10.0.0.1")
    ids = [line["rejection_id"] for line in read_journal(tmp_path)]
    assert len(ids) == 5 and ids[0] == ids[1] != ids[2]
    assert len(set(ids[2:])) == 3
