"""Command lines that refuse bad input in one line, before touching anything.

The purge refuses an id Stripe could not have issued; the backfill (found in
the same adversarial run) refuses `--objects` names that are no raw table.
"""

from __future__ import annotations

import pytest

from pipeline.cli import backfill
from pipeline.cli import purge as purge_cli
from pipeline.raw.loader import raw_tables


def test_purge_refuses_a_bogus_id_before_loading_anything(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert purge_cli.main(["cus_"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(
        "purge refused: 'cus_' is not a Stripe customer id"
    )
    assert not list(tmp_path.iterdir())  # no data/, no register


@pytest.mark.parametrize("objects", ["charges,chargez", "nope", "charges,,customers,Charges"])
def test_backfill_refuses_unknown_objects_naming_the_valid_ones(capsys, monkeypatch, objects):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)  # refused before the key is asked for
    code = backfill.main(["--from", "2026-01", "--to", "2026-02", "--objects", objects])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("unknown --objects ") and ",".join(raw_tables()) in err
    assert "charges," not in err.split(";")[0]  # the known names are not reported as unknown
