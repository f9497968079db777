"""Purge a customer: personal and card data blanked, the financial chain kept.

`guard` refuses ids Stripe could not have issued and customers never seen,
`pipeline.raw.purge_register` remembers who was purged (it survives a full
re-sync), `pipeline.raw.blanking` removes the personal fields from any payload
that is or embeds such a customer, `apply` rewrites the raw partitions that
hold them, `event_tables` the event tables and `landing` the receiver's
landing files.
"""
