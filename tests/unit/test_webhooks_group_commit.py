"""Group commit: concurrent submits are written once each, together, and failures retry."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.events.webhooks.group_commit import GroupCommit


class SlowDisk:
    """Records each write; the first one waits until `hold` is released."""

    def __init__(self) -> None:
        self.writes: list[list[str]] = []
        self.hold = threading.Event()
        self.entered = threading.Event()

    def write(self, records) -> None:
        if not self.writes:
            self.entered.set()
            self.hold.wait()
        self.writes.append([r["k"] for r in records])


def test_concurrent_submits_are_stored_once_and_share_writes():
    disk = SlowDisk()
    commits = GroupCommit(disk.write, stored=["old"])
    keys = [f"k{i}" for i in range(40)]
    with ThreadPoolExecutor(max_workers=41) as pool:
        first = pool.submit(commits.submit, "k0", {"k": "k0"})
        disk.entered.wait()
        rest = [pool.submit(commits.submit, k, {"k": k}) for k in keys + keys + ["old"]]
        while len(commits._pending.records) < len(keys) - 1:
            threading.Event().wait(0.001)
        disk.hold.set()
        results = [first.result()] + [f.result() for f in rest]
    written = [k for batch in disk.writes for k in batch]
    assert sorted(written) == sorted(keys)
    assert results.count(True) == len(keys)
    assert len(disk.writes) == 2  # k0 alone, then the 39 others that queued meanwhile
    assert commits.stored == {*keys, "old"}


def test_a_failed_write_is_not_stored_and_can_be_retried():
    calls = []

    def flaky(records):
        calls.append(records)
        if len(calls) == 1:
            raise OSError("disk full")

    commits = GroupCommit(flaky)
    with pytest.raises(OSError):
        commits.submit("k", {"k": "k"})
    assert "k" not in commits.stored
    assert commits.submit("k", {"k": "k"}) is True
    assert commits.submit("k", {"k": "k"}) is False
