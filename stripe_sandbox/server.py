"""The sandbox's HTTP API: a plain ASGI app answering Stripe's GET endpoints.

Routes come from `RESOURCES` (list, retrieve, nested lists such as
`/v1/invoices/{id}/lines`); nothing is written per object. Every answer,
errors included, carries `Request-Id` and `Stripe-Version`: the version it
renders; a request for any other version is refused. Given `api_key`, only
that key is accepted (any test key otherwise).
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from dataclasses import replace
from pathlib import Path

from stripe_sandbox import errors
from stripe_sandbox.auth import authorize
from stripe_sandbox.balance import BALANCE, balance_body
from stripe_sandbox.expansion import expand_body, expansion_paths
from stripe_sandbox.listing import AccountListing, Page
from stripe_sandbox.params import parse_expand_only, parse_list_query, split_query
from stripe_sandbox.realism import Fault, Realism, RealismConfig
from stripe_sandbox.resources import API_VERSION, RESOURCES, Resource
from stripe_sandbox.resources.payments import CUSTOMER_LISTS
from stripe_sandbox.reversals import FEE_REFUNDS, REVERSALS, embedded_item, reversals_page

NAMESPACES = frozenset({"radar", "checkout"})  # `/v1/radar/early_fraud_warnings`: one name


def route_parts(path: str) -> list[str]:
    """A path's segments, a namespaced resource's two names joined (`radar/early_…`)."""
    parts = path.rstrip("/").split("/")
    if len(parts) > 3 and parts[2] in NAMESPACES:
        parts[2:4] = [f"{parts[2]}/{parts[3]}"]
    return parts


TOP_LEVEL = {route_parts(o.list_path)[2]: o for o in RESOURCES if o.parent is None}
NESTED = {(route_parts(o.list_path)[2], route_parts(o.list_path)[4]): o
          for o in RESOURCES if o.parent}  # fmt: skip


def list_body(page: Page, url: str) -> bytes:
    more = b"true" if page.has_more else b"false"
    return b'{"object":"list","data":[%s],"has_more":%s,"url":"%s"}' % (
        b",".join(page.bodies), more, url.encode())  # fmt: skip


class SandboxApp:
    """ASGI callable over one account file; `realism` adds latency, limits, faults."""

    def __init__(
        self, account_path: Path, realism: RealismConfig | None = None, api_key: str | None = None
    ) -> None:
        self.api_key = api_key
        self.listing = AccountListing(account_path)
        self.realism = Realism(realism or RealismConfig())
        self.api_version = self.listing.meta.get("api_version", API_VERSION)
        self._request_ids = itertools.count(1)
        self._request_prefix = secrets.token_hex(3)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await receive()  # lifespan.startup
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
            await send({"type": "lifespan.shutdown.complete"})
            return
        headers = dict(scope["headers"])
        request_id = f"req_{self._request_prefix}{next(self._request_ids):08d}".encode()
        version = self.api_version.encode()  # refused unless it is the one rendered
        extra = []
        try:
            fault = await self._apply_realism(scope)
            if fault is Fault.DROP:
                return await self._drop(send, request_id)
            status, body = 200, self.handle(scope, headers)
        except errors.ApiError as error:
            status, body = error.status, error.body()
            if status in (429, 500):
                extra.append((b"stripe-should-retry", b"true"))
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", b"%d" % len(body)),
            (b"request-id", request_id), (b"stripe-version", version), *extra]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    async def _apply_realism(self, scope) -> Fault | None:
        realism = self.realism
        if not realism.enabled or scope["path"] == "/healthz":  # the readiness probe
            return None
        if not realism.admit(endpoint_of(scope["method"], scope["path"])):
            raise errors.rate_limited()
        fault = realism.draw_fault()
        if delay := realism.delay_seconds(fault):
            await asyncio.sleep(delay)
        if fault is Fault.ERROR:
            raise errors.api_error()
        return fault

    async def _drop(self, send, request_id: bytes) -> None:
        """Start an answer and stop halfway: the server closes an incomplete response."""
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", b"1000"),
            (b"request-id", request_id)]})  # fmt: skip
        await send({"type": "http.response.body", "body": b'{"object":', "more_body": True})

    def handle(self, scope, headers: dict[bytes, bytes]) -> bytes:
        if scope["path"] == "/healthz":
            return b'{"status":"ok"}'
        account = authorize(headers, self.listing.accounts, self.api_key, self.api_version)
        method, path, query = scope["method"], scope["path"], scope["query_string"]
        parts = route_parts(path)
        if method != "GET" or len(parts) < 3 or parts[1] != "v1":
            raise errors.unrecognized_url(method, path)
        if parts[2:] == ["balance"]:
            return self._expanded(account, BALANCE, balance_body(self.listing, account), query)
        if len(parts) == 3 and parts[2] in TOP_LEVEL:
            return self.list_objects(account, TOP_LEVEL[parts[2]], query, path)
        if len(parts) == 4 and parts[2] in TOP_LEVEL:
            return self.retrieve(account, TOP_LEVEL[parts[2]], parts[3], query)
        if len(parts) == 5 and (parts[2], parts[4]) in NESTED and parts[3] != "preview":
            obj = NESTED[(parts[2], parts[4])]
            params = parse_list_query(obj, query)
            page = self.listing.lines(account, obj, parts[3], params)
            return self._list_body(account, obj, page, params.expand, path)
        if len(parts) == 5 and parts[2] == "customers" and parts[4] in CUSTOMER_LISTS:
            return self.customer_list(account, parts[3], parts[4], query, path)
        if len(parts) == 5 and parts[2:5:2] == ["transfers", "reversals"]:
            transfer = self.listing.retrieve(account, TOP_LEVEL["transfers"], parts[3])
            expand = parse_list_query(REVERSALS, query).expand
            return self._list_body(
                account, REVERSALS, reversals_page(transfer, query), expand, path
            )
        if len(parts) == 5 and parts[2:5:2] == ["application_fees", "refunds"]:
            fee = self.listing.retrieve(account, TOP_LEVEL["application_fees"], parts[3])
            page = reversals_page(fee, query, "refunds", FEE_REFUNDS)
            expand = parse_list_query(FEE_REFUNDS, query).expand
            return self._list_body(account, FEE_REFUNDS, page, expand, path)
        if len(parts) == 6 and parts[2:5:2] == ["application_fees", "refunds"]:
            fee = self.listing.retrieve(account, TOP_LEVEL["application_fees"], parts[3])
            refund = embedded_item(fee, "refunds", FEE_REFUNDS, parts[5])
            return self._expanded(account, FEE_REFUNDS, refund, query)
        raise errors.unrecognized_url(method, path)

    def customer_list(
        self, account: str, customer: str, name: str, query: bytes, path: str
    ) -> bytes:
        """`/v1/customers/{id}/payment_methods`: the resource's list of that customer."""
        self.listing.retrieve(account, TOP_LEVEL["customers"], customer)
        resource, param = CUSTOMER_LISTS[name]
        obj = TOP_LEVEL[resource]
        if param in split_query(query):
            raise errors.parameter_unknown(param)
        params = parse_list_query(obj, query)
        nested = parse_list_query(obj, f"{param}={customer}".encode())
        params = replace(params, filters=params.filters + nested.filters)
        page = self.listing.page(account, obj, params)
        return self._list_body(account, obj, page, params.expand, path)

    def list_objects(self, account: str, obj: Resource, query: bytes, path: str) -> bytes:
        params = parse_list_query(obj, query)
        page = self.listing.page(account, obj, params)
        return self._list_body(account, obj, page, params.expand, path)

    def _list_body(
        self, account: str, obj: Resource, page: Page, expand: tuple[str, ...], path: str
    ) -> bytes:
        """A list answer, its items expanded by `expand[]` (`data.…` paths)."""
        if paths := expansion_paths(obj, expand, in_list=True):
            lookup, include = self._expanders(account)
            bodies = [expand_body(obj, b, paths, lookup, include) for b in page.bodies]
            page = Page(bodies, page.has_more)
        return list_body(page, path)

    def _expanders(self, account: str):
        """How `expand[]` finds objects by id and builds includable lists in `account`."""
        listing = self.listing
        return (
            lambda object_id: listing.body_by_id(account, object_id),
            lambda included, parent: listing.included_list(account, included, parent),
        )

    def retrieve(self, account: str, obj: Resource, object_id: str, query: bytes) -> bytes:
        return self._expanded(account, obj, self.listing.retrieve(account, obj, object_id), query)

    def _expanded(self, account: str, obj: Resource, body: bytes, query: bytes) -> bytes:
        """One object as a retrieve answers it, expanded by the request's `expand[]`."""
        paths = expansion_paths(obj, parse_expand_only(query), in_list=False)
        if paths and not body.endswith(b'"deleted":true}'):
            return expand_body(obj, body, paths, *self._expanders(account))
        return body


def endpoint_of(method: str, path: str) -> str:
    """The rate-limit bucket of a request: `GET /v1/charges` or `GET /v1/charges/{id}`."""
    parts = path.rstrip("/").split("/")
    if len(parts) >= 4:
        parts[3] = "{id}"
    return f"{method} {'/'.join(parts)}"
