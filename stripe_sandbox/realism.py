"""What makes the sandbox behave like a remote API: latency, rate limits, faults.

All off by default. Faults and latency are drawn from generators seeded by
`realism_seed`, one draw per request in arrival order, so a sequential client sees the
same 500s, dropped connections and slow answers on every run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum


def knob(default: float, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class RealismConfig:
    latency_ms: float = knob(0.0, "mean added latency per request (ms)")
    latency_jitter_ms: float = knob(0.0, "standard deviation of the latency (ms, never below 0)")
    rate_limit: float = knob(0.0, "requests/s over all endpoints, excess gets 429 (0 = off)")
    endpoint_rate_limit: float = knob(0.0, "requests/s per endpoint, excess gets 429 (0 = off)")
    fault_rate: float = knob(0.0, "share of requests answered 500 api_error")
    drop_rate: float = knob(0.0, "share of connections closed with no complete answer")
    slow_rate: float = knob(0.0, "share of answers delayed by --slow-ms")
    slow_ms: float = knob(5000.0, "delay of a slow answer (ms)")
    realism_seed: int = knob(0, "seed of the fault and latency draws")

    def cli_args(self) -> list[str]:
        """The `serve` flags that reproduce this configuration (non-defaults only)."""
        default = RealismConfig()
        args = []
        for name, value in asdict(self).items():
            if value != getattr(default, name):
                args += [cli_flag(name), str(value)]
        return args


def cli_flag(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


class Fault(Enum):
    ERROR = "error"
    DROP = "drop"
    SLOW = "slow"


class TokenBucket:
    """`rate` tokens a second, holding at most `rate` (a one-second burst)."""

    def __init__(self, rate: float, clock: Callable[[], float]) -> None:
        self.rate, self.capacity, self.clock = rate, max(rate, 1.0), clock
        self.tokens, self.last = self.capacity, clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Realism:
    """The per-process state behind a RealismConfig: buckets and seeded draws."""

    def __init__(self, config: RealismConfig, clock: Callable[[], float] = time.monotonic):
        self.config, self.clock = config, clock
        self.enabled = config != RealismConfig(realism_seed=config.realism_seed)
        self.global_bucket = TokenBucket(config.rate_limit, clock) if config.rate_limit else None
        self.endpoint_buckets: dict[str, TokenBucket] = {}
        self.fault_draws = random.Random(f"faults:{config.realism_seed}")
        self.latency_draws = random.Random(f"latency:{config.realism_seed}")

    def admit(self, endpoint: str) -> bool:
        """False when the request exceeds the global or the endpoint's rate."""
        if self.global_bucket is not None and not self.global_bucket.take():
            return False
        if not self.config.endpoint_rate_limit:
            return True
        bucket = self.endpoint_buckets.get(endpoint)
        if bucket is None:
            bucket = TokenBucket(self.config.endpoint_rate_limit, self.clock)
            self.endpoint_buckets[endpoint] = bucket
        return bucket.take()

    def draw_fault(self) -> Fault | None:
        c = self.config
        if not (c.fault_rate or c.drop_rate or c.slow_rate):
            return None
        u = self.fault_draws.random()
        for fault, share in ((Fault.ERROR, c.fault_rate), (Fault.DROP, c.drop_rate),
                             (Fault.SLOW, c.slow_rate)):  # fmt: skip
            if u < share:
                return fault
            u -= share
        return None

    def delay_seconds(self, fault: Fault | None) -> float:
        c = self.config
        delay = c.latency_ms
        if c.latency_jitter_ms:
            delay = max(0.0, self.latency_draws.gauss(c.latency_ms, c.latency_jitter_ms))
        if fault is Fault.SLOW:
            delay += c.slow_ms
        return delay / 1000.0
