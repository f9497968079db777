"""Dagster assets, one module per stage: raw extraction, events, dbt, serving."""
