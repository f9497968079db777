"""The dbt project agrees with the object catalogue and with Stripe's money rules (files only)."""

from __future__ import annotations

import csv
import re
import typing
from pathlib import Path

import yaml
from stripe import BalanceTransaction

from pipeline.catalog import ZERO_DECIMAL_CURRENCIES, raw_tables

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
STAGING = PROJECT / "models" / "staging" / "stripe"
RAW_TABLES = raw_tables()


def stripe_source() -> dict:
    sources = yaml.safe_load((STAGING / "_stripe__sources.yml").read_text())["sources"]
    return next(source for source in sources if source["name"] == "stripe")


def seed_rows(name: str) -> list[dict[str, str]]:
    with (PROJECT / "seeds" / f"{name}.csv").open() as f:
        return list(csv.DictReader(f))


def test_every_raw_table_is_a_source_keyed_like_its_raw_asset() -> None:
    source = stripe_source()
    assert source["schema"] == "raw_stripe"
    # grouped by domain in the yml (each under its marker), not in catalogue order
    assert sorted(t["name"] for t in source["tables"]) == sorted(RAW_TABLES)
    # no `meta.dagster.asset_key`: dagster-dbt's default key, ["stripe", table], is the raw asset's
    assert not [t["name"] for t in source["tables"] if "meta" in t]


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


def relationships_tests() -> list[tuple[tuple[str, str, str, str], dict]]:
    """Every `relationships` test in the models' YAML: (model, column, to, field), its config."""
    found = []
    for path in (PROJECT / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []):
                for test in column.get("data_tests", []):
                    if isinstance(test, dict) and "relationships" in test:
                        spec = test["relationships"]
                        to = re.fullmatch(r"ref\('(\w+)'\)", spec["arguments"]["to"]).group(1)
                        key = (model["name"], column["name"], to, spec["arguments"]["field"])
                        found.append((key, spec.get("config", {})))
    return found


def checked_references() -> set[tuple[str, str, str, str]]:
    macro = (PROJECT / "macros" / "checked_references.sql").read_text()
    quoted = r"\s*'(\w+)',"
    return set(re.findall(r"\(" + quoted * 3 + r"\s*'(\w+)',?\s*\)", macro))


def test_every_relationships_test_warns_and_is_counted_in_dangling_references() -> None:
    tests = relationships_tests()
    assert len(tests) >= 10
    for key, config in tests:
        assert config.get("severity") == "warn", key  # a dangling reference never stops a run
    assert {key for key, _ in tests} == checked_references()


def test_every_documented_balance_transaction_type_has_a_fee_category() -> None:
    documented = typing.get_args(typing.get_args(BalanceTransaction.__annotations__["type"])[0])
    assert {"application_fee", "application_fee_refund", "charge", "payout"} <= set(documented)
    mapped = {
        r["match_value"]: r["fee_category"]
        for r in seed_rows("balance_transaction_fee_categories")
        if r["match_column"] == "type"
    }
    assert set(documented) <= set(mapped), set(documented) - set(mapped)
    assert mapped["application_fee_refund"] == mapped["application_fee"] == "collected_fee"
    assert mapped["refund_failure"] == "refund"
    by_category = {
        r["match_value"]: r["fee_category"]
        for r in seed_rows("balance_transaction_fee_categories")
        if r["match_column"] == "reporting_category"
    }
    assert by_category["platform_earning"] == by_category["platform_earning_refund"]
