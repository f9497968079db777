"""The embedded Stripe sandbox: a generated account served over real HTTP.

`store` holds the account file, `generator` writes it, `server` serves it with
Stripe's list/retrieve semantics, `running.SandboxServer` runs it in a
subprocess and `webhooks` signs and delivers its events.
"""
