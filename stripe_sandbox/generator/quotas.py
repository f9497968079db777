"""Outcomes the account must show at least once, in a time window near the clock.

Random draws alone could leave a small account without, say, a failed payout
inside the 30-day event window. A quota is taken the first time(s) a
matching decision falls in its window, so the outcome is guaranteed and
still deterministic.
"""

from __future__ import annotations

DAY = 86_400

# name: (days before the clock the window opens, days before it closes, how many)
QUOTAS: dict[str, tuple[float, float, int]] = {
    "payout_failed": (25, 3, 1),
    "payout_canceled": (20, 2, 1),
    "refund_months_later": (110, 45, 1),
    "refund_partial": (60, 20, 1),
    "dispute_won_in_window": (80, 40, 1),
    "dispute_lost_in_window": (80, 40, 1),
    "dispute_open": (10, 2, 1),
    "dispute_under_review": (28, 15, 1),
    "customer_update_in_window": (200, 40, 2),
    "customer_delete_in_window": (200, 40, 1),
    "trial_recent": (12, 0, 1),
    "renewal_fail_open": (4, 0, 1),
    "renewal_fail_all": (28, 18, 1),
    "cancel_at_period_end": (45, 32, 1),
    "plan_change": (28, 5, 1),
    "transfer_reversed_fully": (25, 5, 1),
    "transfer_reversed_partly": (25, 5, 1),
    "invoice_many_lines": (400, 0, 1),
}


class Quotas:
    """Counts of guaranteed outcomes left, each with its window in Unix seconds."""

    def __init__(self, clock: int, start: int) -> None:
        self._left = {
            name: [max(start, clock - int(opens * DAY)), clock - int(closes * DAY), count]
            for name, (opens, closes, count) in QUOTAS.items()
        }

    def take(self, name: str, t: int) -> bool:
        """True (once per count) when t falls in the quota's window."""
        window = self._left[name]
        if window[2] > 0 and window[0] <= t <= window[1]:
            window[2] -= 1
            return True
        return False
