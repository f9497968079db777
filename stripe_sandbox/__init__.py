"""The embedded Stripe sandbox: a generated account served over real HTTP.

- `store`: the account file (SQLite); `generator` + `presets` write it.
- `server`: the ASGI app (Stripe's GET list/retrieve semantics), over
  `params` (query strings), `filters` (what each list parameter filters on,
  as data), `listing` + `list_sql` (pages of stored bytes), `expansion` +
  `expandables` (`expand[]`, includable lists), `reversals`, `errors`
  (Stripe's error bodies) and `realism` (latency, rate limits, faults).
- `running.SandboxServer`: the server in a subprocess, for tests and runs.
- `webhooks`: signs and delivers events (genuine or forged).
- `conformance`: the sandbox probed over HTTP against the pinned SDK's
  endpoints, parameters and expansions; deliberate gaps listed as data.
- `python -m stripe_sandbox serve | generate | summary | deliver | conformance`.
"""
