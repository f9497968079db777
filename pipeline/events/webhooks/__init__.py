"""Stripe webhook receiver: verify, store durably, answer.

`python -m pipeline.events.webhooks serve` runs a Starlette app under uvicorn with one
route, `POST /webhooks/stripe`. A delivery is answered 2xx only once its
signature, time window and event envelope (`envelope`) passed and it is an
fsynced line in an append-only landing file under
`<data_dir>/landing/webhooks/`; anything refused is a line under
`<data_dir>/landing/rejections/` and never a stored event. Nothing here opens
the warehouse: `pipeline.events` reads the landing files later.

Behind a reverse proxy (nginx, Caddy), keep the receiver on 127.0.0.1, forward
`/webhooks/stripe` with the raw body untouched (no re-encoding, no
decompression), set `X-Forwarded-For`, and start the receiver with
`--forwarded-allow-ips <proxy address>` so the source address recorded is the
caller's, not the proxy's.
"""
