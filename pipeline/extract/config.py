"""How to reach Stripe: key, base address, API version and the request budget.

Stripe's documented limits are about 100 requests/s in live mode and 25/s in
test mode overall, and about 25/s per endpoint in both. The defaults follow the
key's mode; every number can be overridden.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.catalog import API_VERSION
from pipeline.settings import DEFAULT_API_BASE

LIVE_KEY_PREFIXES = ("sk_live_", "rk_live_")
LIVE_REQUESTS_PER_SECOND = 100.0
TEST_REQUESTS_PER_SECOND = 25.0
ENDPOINT_REQUESTS_PER_SECOND = 25.0
USER_AGENT = "stripe-warehouse-extract/0.1 (+httpx)"


def key_mode(api_key: str) -> str:
    """`live` for live secret or restricted keys, `test` for everything else."""
    return "live" if api_key.startswith(LIVE_KEY_PREFIXES) else "test"


@dataclass(frozen=True)
class StripeHttp:
    """Connection settings of the fast extractor; its repr never shows the key."""

    api_key: str = field(repr=False)
    api_base: str = DEFAULT_API_BASE
    stripe_account: str | None = None
    api_version: str = API_VERSION
    requests_per_second: float | None = None  # None: 100 for live keys, 25 for test keys
    endpoint_requests_per_second: float = ENDPOINT_REQUESTS_PER_SECOND
    max_concurrency: int = 64  # in flight; 100 req/s at ~0.5 s per answer needs ~50
    max_retries: int = 8
    timeout: float = 60.0
    page_size: int = 100

    @property
    def mode(self) -> str:
        return key_mode(self.api_key)

    @property
    def overall_requests_per_second(self) -> float:
        if self.requests_per_second is not None:
            return self.requests_per_second
        return LIVE_REQUESTS_PER_SECOND if self.mode == "live" else TEST_REQUESTS_PER_SECOND

    def headers(self) -> dict[str, str]:
        """The headers the stripe SDK sends for a GET, plus our User-Agent."""
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Stripe-Version": self.api_version,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
        if self.stripe_account:
            headers["Stripe-Account"] = self.stripe_account
        return headers
