"""Purge a customer: personal and card data blanked, the financial chain kept.

`register` remembers who was purged (it survives a full re-sync), `blank`
removes the personal fields from any payload that is or embeds such a customer,
`apply` rewrites the raw partitions that hold them.
"""
