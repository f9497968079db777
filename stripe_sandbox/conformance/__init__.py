"""Conformance: the sandbox held to Stripe's own artifacts, over HTTP.

`sdk_contract` reads what the pinned `stripe` SDK declares (GET endpoints,
their list parameters with enum values and docstrings, expandable fields);
`probe` asks a running sandbox about each of them and classifies the answer;
`gaps` names what the sandbox deliberately does not do, as data; `report`
prints the result (`python -m stripe_sandbox conformance`).
"""
