"""A chart of monthly payouts per currency: gross, fees and net (each in its own unit)."""

from __future__ import annotations

import base64
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SERIES = (("total_gross", "gross"), ("total_fees", "fees"), ("total_net", "net"))


def monthly_totals(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Per currency: (month, gross, fees, net) in major units, oldest month first."""
    rows = con.execute(
        """
        select
            t.currency,
            t.month,
            t.total_gross / pow(10, c.minor_unit_exponent),
            (t.total_charge_fees + t.total_refund_fees + t.total_adjustment_fees
                + t.total_validation_fees) / pow(10, c.minor_unit_exponent),
            t.total_net / pow(10, c.minor_unit_exponent)
        from marts.transfers_monthly as t
        join reference.currencies as c on c.code = t.currency
        where t.account_id is null  -- the platform's own payouts
        order by t.currency, t.month
        """
    ).fetchall()
    by_currency: dict[str, list[tuple]] = {}
    for currency, *values in rows:
        by_currency.setdefault(currency, []).append(tuple(values))
    return by_currency


def draw_chart(by_currency: dict[str, list[tuple]], path: Path) -> Path:
    """One panel per currency (amounts of different currencies never share an axis)."""
    currencies = sorted(by_currency) or ["none"]
    fig, axes = plt.subplots(len(currencies), 1, figsize=(10, 3 * len(currencies)), squeeze=False)
    for axis, currency in zip(axes[:, 0], currencies, strict=True):
        rows = by_currency.get(currency, [])
        months = [r[0] for r in rows]
        for index, (_, label) in enumerate(SERIES):
            axis.plot(months, [r[index + 1] for r in rows], label=label)
        axis.set_title(f"Paid payouts by arrival month, {currency.upper()}")
        axis.set_ylabel(currency.upper())
        axis.tick_params(axis="x", labelrotation=90, labelsize=7)
        axis.legend(loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def as_markdown_image(path: Path) -> str:
    encoded = base64.b64encode(path.read_bytes()).decode()
    return f"![monthly transfers](data:image/png;base64,{encoded})"
