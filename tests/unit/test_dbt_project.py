"""The dbt project agrees with the object catalogue and with Stripe's money rules (files only)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from pipeline.stripe_objects import STRIPE_OBJECTS, ZERO_DECIMAL_CURRENCIES

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
STAGING = PROJECT / "models" / "staging" / "stripe"
RAW_TABLES = [obj.name for obj in STRIPE_OBJECTS] + ["payout_balance_transactions"]


def stripe_source() -> dict:
    sources = yaml.safe_load((STAGING / "_stripe__sources.yml").read_text())["sources"]
    return next(source for source in sources if source["name"] == "stripe")


def seed_rows(name: str) -> list[dict[str, str]]:
    with (PROJECT / "seeds" / f"{name}.csv").open() as f:
        return list(csv.DictReader(f))


def test_every_raw_table_is_a_source_keyed_like_its_raw_asset() -> None:
    source = stripe_source()
    assert source["schema"] == "raw_stripe"
    keys = {t["name"]: t["meta"]["dagster"]["asset_key"] for t in source["tables"]}
    assert keys == {name: ["stripe", name] for name in RAW_TABLES}


def test_every_raw_table_has_a_staging_view_and_only_staging_reads_sources() -> None:
    for name in RAW_TABLES:
        model = STAGING / f"stg_stripe__{name}.sql"
        assert f"source('stripe', '{name}')" in model.read_text(), model
    for sql in (PROJECT / "models").rglob("*.sql"):
        if "source(" in sql.read_text():
            assert sql.parent == STAGING, sql


def test_currencies_seed_knows_zero_decimal_currencies() -> None:
    exponents = {row["code"]: int(row["minor_unit_exponent"]) for row in seed_rows("currencies")}
    assert {code for code, exp in exponents.items() if exp == 0} == set(ZERO_DECIMAL_CURRENCIES)
    assert exponents["usd"] == 2 and exponents["eur"] == 2 and exponents["kwd"] == 3


def test_fee_categories_map_the_legacy_validation_type_and_application_fees() -> None:
    mapping = {
        (r["match_column"], r["match_value"]): r["fee_category"]
        for r in seed_rows("balance_transaction_fee_categories")
    }
    assert mapping[("type", "validation")] == "validation"
    assert mapping[("type", "application_fee")] == "collected_fee"
    assert mapping[("type", "charge")] == mapping[("type", "payment")] == "charge"
    assert mapping[("type", "payout")] == "payout"
    assert mapping[("reporting_category", "dispute")] == "adjustment"
    assert "unclassified" not in mapping.values()  # the bucket is what matches nothing


def test_every_mart_states_its_grain() -> None:
    for path in (PROJECT / "models" / "marts").rglob("_*__models.yml"):
        for model in yaml.safe_load(path.read_text())["models"]:
            assert "Grain:" in model["description"], model["name"]
