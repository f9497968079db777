"""Stripe events: the events table, validation against Stripe, processing, exceptions.

Plain functions over a DuckDB connection (no Dagster): `schema.ensure_schema`,
`table.ingest_landing` / `table.record_listed_events`,
`validating.validate_pending`, `processing.process_pending`,
`reprocess.reprocess`, and `run.run_events` chaining them. Stripe is asked
through `fetch.StripeLookup` (`fetch.SdkLookup` over the stripe SDK).
Handlers per event type register in `pipeline.events.handlers`.
"""
