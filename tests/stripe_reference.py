"""Stripe's published artifacts the tests hold the sandbox and pipeline to.

`fixtures3.json` ships in `tests/fixtures/stripe/` (see its README for origin
and licence); nothing is read from outside the checkout.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FIXTURES3 = Path(__file__).resolve().parent / "fixtures" / "stripe" / "fixtures3.json"


@cache
def fixture_resources() -> dict[str, dict]:
    """Stripe's example object of every v1 resource, by resource name (`charge`, …)."""
    return json.loads(FIXTURES3.read_text())["resources"]
