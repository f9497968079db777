"""Stripe events: schema `events`, validation against Stripe, processing, the sync, the receiver.

Plain functions over a DuckDB connection (no Dagster): `schema.ensure_schema`,
`ingest.ingest_landing` / `table.record_listed_events`,
`validate.validate_pending`, `processing.process_pending`,
`reprocess.reprocess`, and `sweep.run_events` chaining them; `sync.sync_events`
lists new events since the cursor; `webhooks` is the receiver. Stripe is asked
through `fetch.StripeLookup` (`fetch.SdkLookup` over the stripe SDK).
Handlers per event type register in `pipeline.events.handlers`.
"""
