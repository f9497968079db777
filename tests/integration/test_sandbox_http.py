"""The sandbox over real HTTP, driven by the real `stripe` SDK (16.x) and httpx.

Expected answers come from the account file itself (SQL over the store), so
each test checks the server against the data it serves.
"""

from __future__ import annotations

import operator

import httpx
import orjson
import pytest
import stripe

from stripe_sandbox.realism import Realism, RealismConfig
from stripe_sandbox.resources import API_VERSION, BY_NAME, RESOURCES
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader

TOP_LEVEL = [o for o in RESOURCES if o.parent is None]
SERVICES = {"invoiceitems": "invoice_items", "early_fraud_warnings": "radar.early_fraud_warnings",
            "checkout_sessions": "checkout.sessions"}  # fmt: skip  # SDK names that differ
EVERY = {"subscriptions": {"status": "all"}}  # without it, canceled subscriptions are left out


@pytest.fixture(scope="module")
def sandbox_account(tmp_path_factory):
    """The `small` preset (every object type), generated once into a temporary folder."""
    from stripe_sandbox.generator import ensure_account

    return ensure_account("small", data_dir=tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="module")
def account(sandbox_account):
    return open_reader(sandbox_account)


@pytest.fixture(scope="module")
def sandbox(sandbox_account):
    with SandboxServer(sandbox_account) as server:
        yield server


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def service(client, resource: str):
    return operator.attrgetter(SERVICES.get(resource, resource))(client.v1)


def stored_ids(account, resource: str, where: str = "", args=(), acct: str = "") -> list[str]:
    rows = account.execute(
        f"select id from objects where account = ? and resource = ? and deleted = 0 {where}"
        " order by created desc, seq desc",
        (acct, resource, *args),
    )
    return [row[0] for row in rows]


def listed_ids(client, resource: str, params: dict, options=None) -> list[str]:
    pages = service(client, resource).list({"limit": 100, **params}, options=options or {})
    return [item["id"] for item in pages.auto_paging_iter()]


@pytest.mark.parametrize("resource", [o.name for o in TOP_LEVEL])
def test_sdk_lists_every_object_newest_first_in_full_and_by_window(client, account, resource):
    expected = stored_ids(account, resource)
    assert expected, f"the account has no {resource}"
    assert listed_ids(client, resource, EVERY.get(resource, {})) == expected
    if not BY_NAME[resource].has_created:
        return  # Stripe's list takes no `created` (subscription items)
    low, high = account.execute(
        "select min(created), max(created) from objects where account = '' and resource = ?",
        (resource,),
    ).fetchone()
    start, end = low + (high - low) // 3, low + 2 * (high - low) // 3
    window = stored_ids(account, resource, "and created >= ? and created < ?", (start, end))
    window_params = {"created": {"gte": start, "lt": end}, **EVERY.get(resource, {})}
    assert listed_ids(client, resource, window_params) == window


@pytest.mark.parametrize("resource", [o.name for o in TOP_LEVEL])
def test_sdk_retrieves_every_object_type_as_stored(client, account, resource):
    object_id, body = account.execute(
        "select id, body from objects where account = '' and resource = ? and deleted = 0"
        " order by seq limit 1",
        (resource,),
    ).fetchone()
    retrieved = service(client, resource).retrieve(object_id)
    assert (retrieved["id"], retrieved["object"]) == (object_id, BY_NAME[resource].object)
    assert orjson.loads(retrieved.last_response.body) == orjson.loads(body)


def test_invoice_lines_are_listed_per_invoice_in_creation_order(client, account):
    invoice_id, count = account.execute(
        "select parent, count(*) from objects where account = '' and resource ="
        " 'invoice_line_items' group by parent order by count(*) desc limit 1"
    ).fetchone()
    expected = [
        row[0]
        for row in account.execute(
            "select id from objects where account = '' and parent = ? order by seq", (invoice_id,)
        )
    ]
    lines = client.v1.invoices.line_items.list(invoice_id, {"limit": 1})
    assert [line["id"] for line in lines.auto_paging_iter()] == expected and count >= 1


def filter_cases(account) -> list[tuple[str, str, str]]:
    """(resource, filter, its most common value) for every filter the account uses."""
    return account.execute(
        "select resource, name, value from (select resource, name, value, row_number() over"
        " (partition by resource, name order by count(*) desc) as n from object_filters"
        " where account = '' group by resource, name, value) where n = 1"
    ).fetchall()


def test_every_filter_in_the_account_selects_what_the_store_says(client, account):
    cases = filter_cases(account)
    names = {name for _, name, _ in cases}
    assert {"customer", "status", "type", "payout", "charge", "invoice", "subscription"} <= names
    for resource, name, value in cases:
        expected = stored_ids(
            account,
            resource,
            "and id in (select id from object_filters"
            " where account = '' and name = ? and value = ?)",
            (name, value),
        )
        params = {**EVERY.get(resource, {}), name: value}
        assert listed_ids(client, resource, params) == expected, (resource, name)


def test_events_types_selects_any_of_several(client, account):
    types = [
        row[0]
        for row in account.execute(
            "select distinct value from object_filters where resource = 'events' and name = 'type'"
            " and account = '' order by value limit 2"
        )
    ]
    expected = stored_ids(
        account,
        "events",
        "and id in (select id from object_filters where name = 'type' and value in (?, ?))",
        types,
    )
    assert listed_ids(client, "events", {"types": types}) == expected and len(types) == 2


def test_cursors_page_both_directions(client, account):
    ids = stored_ids(account, "charges")
    k = len(ids) // 2
    older = client.v1.charges.list({"limit": 5, "starting_after": ids[k]})
    assert [c["id"] for c in older.data] == ids[k + 1 : k + 6] and older.has_more
    newer = client.v1.charges.list({"limit": 5, "ending_before": ids[k]})
    assert [c["id"] for c in newer.data] == ids[k - 5 : k] and newer.has_more
    walked_back = client.v1.charges.list({"limit": 3, "ending_before": ids[k]})
    assert [c["id"] for c in walked_back.auto_paging_iter()] == ids[:k][::-1]


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 0}, "limit", "parameter_invalid_integer"),
        ({"limit": 101}, "limit", "parameter_invalid_integer"),
        ({"starting_after": "ch_unknown"}, "starting_after", "resource_missing"),
        ({"ending_before": "ch_unknown"}, "ending_before", "resource_missing"),
        ({"colour": "red"}, "colour", "parameter_unknown"),
    ],
)
def test_bad_list_requests_raise_invalid_request_error(client, params, param, code):
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.charges.list(params)
    assert (error.value.http_status, error.value.param, error.value.code) == (400, param, code)


def test_unknown_id_is_404_and_deleted_object_is_a_stub(client, account):
    with pytest.raises(stripe.InvalidRequestError) as error:
        client.v1.charges.retrieve("ch_doesnotexist")
    assert (error.value.http_status, error.value.code) == (404, "resource_missing")
    deleted = account.execute(
        "select id, resource from objects where account = '' and deleted = 1 limit 1"
    ).fetchone()
    if deleted is None:
        pytest.skip("this account has no deleted object")
    stub = service(client, deleted[1]).retrieve(deleted[0]).to_dict()
    assert stub == {"id": deleted[0], "object": BY_NAME[deleted[1]].object, "deleted": True}


def test_bad_keys_raise_authentication_error(sandbox):
    for key in ("sk_live_123", "pk_test_123", "nonsense"):
        bad = stripe.StripeClient(key, base_addresses={"api": sandbox.base_url})
        with pytest.raises(stripe.AuthenticationError):
            bad.v1.charges.list()
    answer = httpx.get(f"{sandbox.base_url}/v1/charges")
    assert answer.status_code == 401 and answer.json()["error"]["type"] == "invalid_request_error"
    basic = httpx.get(f"{sandbox.base_url}/v1/charges", auth=(sandbox.api_key, ""))
    assert basic.status_code == 200


def test_stripe_account_selects_a_connected_account(client, account):
    connected = dict(account.execute("select key, value from meta").fetchall())
    acct = connected["connected_accounts"].split(",")[0]
    resource = account.execute(
        "select resource from objects where account = ? group by resource order by count(*) desc",
        (acct,),
    ).fetchone()[0]
    options = {"stripe_account": acct}
    listed = listed_ids(client, resource, EVERY.get(resource, {}), options)
    assert listed == stored_ids(account, resource, acct=acct)
    with pytest.raises(stripe.PermissionError):
        client.v1.charges.list(options={"stripe_account": "acct_notconnected"})


def test_every_answer_has_a_request_id_and_the_version_it_renders(sandbox):
    auth = {"Authorization": f"Bearer {sandbox.api_key}"}
    for version in (None, API_VERSION):
        headers = auth | ({"Stripe-Version": version} if version else {})
        for path in ("/v1/charges?limit=1", "/v1/charges/ch_missing", "/v1/nothing"):
            answer = httpx.get(sandbox.base_url + path, headers=headers)
            assert answer.headers["request-id"].startswith("req_"), path
            assert answer.headers["stripe-version"] == API_VERSION
        assert answer.status_code == 404


@pytest.mark.parametrize("version", ["2022-11-15", "2020-08-27", "2026-10-28", "nonsense"])
def test_a_version_it_cannot_render_is_refused_not_echoed(sandbox, version):
    headers = {"Authorization": f"Bearer {sandbox.api_key}", "Stripe-Version": version}
    answer = httpx.get(f"{sandbox.base_url}/v1/charges?limit=1", headers=headers)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(f"Invalid Stripe API version: {version}")
    assert answer.headers["stripe-version"] == API_VERSION
    pinned = stripe.StripeClient(
        sandbox.api_key, base_addresses={"api": sandbox.base_url}, stripe_version=version
    )
    with pytest.raises(stripe.InvalidRequestError):
        pinned.v1.charges.list()


@pytest.fixture(scope="module")
def keyed(sandbox_account):
    with SandboxServer(sandbox_account, key="sk_test_only_this_one") as server:
        yield server


def test_serve_with_a_key_accepts_only_that_key(keyed):
    assert keyed.api_key == "sk_test_only_this_one"
    good = stripe.StripeClient(keyed.api_key, base_addresses={"api": keyed.base_url})
    assert good.v1.charges.list({"limit": 1}).data
    wrong = stripe.StripeClient("sk_test_sandbox", base_addresses={"api": keyed.base_url})
    with pytest.raises(stripe.AuthenticationError) as error:
        wrong.v1.charges.list()
    assert error.value.http_status == 401
    assert error.value.user_message.startswith("Invalid API Key provided: sk_test_")
    basic = httpx.get(f"{keyed.base_url}/v1/charges", auth=("sk_test_other", ""))
    assert basic.status_code == 401 and basic.json()["error"]["type"] == "invalid_request_error"


def test_expand_replaces_ids_with_objects_on_lists_and_retrieves(client, account):
    def body(object_id: str) -> dict:
        row = account.execute(
            "select body from objects where account = '' and id = ?", (object_id,)
        ).fetchone()
        return orjson.loads(row[0])

    page = client.v1.charges.list({"limit": 20, "expand": ["data.customer"]})
    with_customer = [c for c in page.data if c["customer"] is not None]
    assert with_customer, "no charge with a customer on the first page"
    for charge in with_customer:
        plain = body(charge["id"])
        assert charge["customer"].to_dict() == body(plain["customer"])
    invoice = client.v1.invoices.list({"limit": 1}).data[0]
    expanded = client.v1.invoices.retrieve(invoice["id"], {"expand": ["customer"]})
    assert expanded["customer"]["id"] == invoice["customer"]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.charges.list({"expand": ["data.amount"]})


@pytest.fixture(scope="module")
def limited(sandbox_account):
    """One request per endpoint every 5 s: the second one in a row is over the limit."""
    with SandboxServer(sandbox_account, endpoint_rate_limit=0.2) as server:
        yield server


def test_rate_limits_answer_429_that_the_sdk_raises(limited):
    headers = {"Authorization": f"Bearer {limited.api_key}"}
    charges = [httpx.get(f"{limited.base_url}/v1/charges", headers=headers) for _ in range(3)]
    assert [a.status_code for a in charges] == [200, 429, 429]
    assert charges[1].headers["stripe-should-retry"] == "true"
    assert charges[1].json()["error"]["code"] == "rate_limit"
    client = stripe.StripeClient(limited.api_key, base_addresses={"api": limited.base_url})
    assert client.v1.customers.list({"limit": 1}).data  # another endpoint, another bucket
    with pytest.raises(stripe.RateLimitError):
        client.v1.charges.list()


FAULTS = {"fault_rate": 0.2, "drop_rate": 0.1, "realism_seed": 11}


@pytest.fixture(scope="module")
def faulty(sandbox_account):
    with SandboxServer(sandbox_account, **FAULTS) as server:
        yield server


def test_faults_hit_the_seeded_requests_and_the_sdk_raises(faulty):
    headers = {"Authorization": f"Bearer {faulty.api_key}"}
    outcomes = []
    with httpx.Client(base_url=faulty.base_url, headers=headers) as http:
        for _ in range(60):
            try:
                outcomes.append(http.get("/v1/charges?limit=1").status_code)
            except httpx.TransportError:
                outcomes.append("dropped")
    draws = Realism(RealismConfig(**FAULTS))
    expected = [
        {"error": 500, "drop": "dropped"}.get(getattr(draws.draw_fault(), "value", ""), 200)
        for _ in range(60)
    ]
    assert outcomes == expected
    assert 5 <= outcomes.count(500) <= 20 and 1 <= outcomes.count("dropped") <= 12
    client = stripe.StripeClient(faulty.api_key, base_addresses={"api": faulty.base_url})
    errors = set()
    for _ in range(30):
        try:
            client.v1.charges.list({"limit": 1})
        except (stripe.APIError, stripe.APIConnectionError) as error:
            errors.add(type(error))
    assert errors == {stripe.APIError, stripe.APIConnectionError}


def test_transfer_reversals_are_listed_from_the_transfer(client, account):
    transfers = [
        orjson.loads(body)
        for (body,) in account.execute(
            "select body from objects where account = '' and resource = 'transfers'"
        )
    ]
    transfer = next(t for t in transfers if t["reversals"]["data"])
    listed = client.v1.transfers.reversals.list(transfer["id"], {"limit": 1})
    assert [r["id"] for r in listed.auto_paging_iter()] == [
        r["id"] for r in transfer["reversals"]["data"]
    ]


def test_expand_accepts_the_bracket_form_too(sandbox):
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    answer = httpx.get(
        f"{sandbox.base_url}/v1/invoices?limit=3&expand[]=data.customer", headers=headers
    )
    assert all(isinstance(i["customer"], dict) for i in answer.json()["data"])


def test_subscriptions_without_status_leave_out_canceled_ones_all_and_ended_as_documented(
    client, account
):
    status = "json_extract(body, '$.status')"
    every = stored_ids(account, "subscriptions")
    canceled = stored_ids(account, "subscriptions", f"and {status} = 'canceled'")
    assert canceled, "the account has no canceled subscription"
    assert listed_ids(client, "subscriptions", {}) == [i for i in every if i not in canceled]
    assert listed_ids(client, "subscriptions", {"status": "all"}) == every
    ended = stored_ids(account, "subscriptions",
                       f"and {status} in ('canceled', 'incomplete_expired')")  # fmt: skip
    assert listed_ids(client, "subscriptions", {"status": "ended"}) == ended


def test_event_type_wildcard_selects_the_group(client, account):
    expected = stored_ids(account, "events", "and json_extract(body, '$.type') like 'invoice.%'")
    assert expected and listed_ids(client, "events", {"type": "invoice.*"}) == expected


@pytest.mark.parametrize(
    ("resource", "param"),
    [("subscriptions", "status"), ("invoices", "status"), ("invoice_payments", "status"),
     ("prices", "type"), ("invoices", "collection_method")],
)  # fmt: skip
def test_enum_values_stripe_does_not_list_are_refused_naming_the_param(client, resource, param):
    with pytest.raises(stripe.InvalidRequestError) as error:
        service(client, resource).list({param: "bogus"})
    assert (error.value.http_status, error.value.param) == (400, param)
    assert error.value.user_message.startswith(f"Invalid {param}: must be one of ")


def test_the_expansions_and_includable_lists_clients_request(client, account):
    charges = client.v1.charges.list(
        {"limit": 5, "expand": ["data.refunds", "data.payment_intent"]}
    )
    assert all(c["refunds"]["object"] == "list" for c in charges.data)
    intents = [c["payment_intent"] for c in charges.data if c["payment_intent"] is not None]
    assert intents and all(pi["object"] == "payment_intent" for pi in intents)  # now served
    invoices = client.v1.invoices.list({"limit": 5, "expand": ["data.discounts", "data.payments"]})
    for invoice in invoices.data:
        paid = stored_ids(account, "invoice_payments",
                          "and json_extract(body, '$.invoice') = ?", (invoice["id"],))  # fmt: skip
        assert [p["id"] for p in invoice["payments"]["data"]] == paid
    transfer = client.v1.transfers.list({"limit": 1, "expand": ["data.destination_payment"]})
    payment = transfer.data[0]["destination_payment"]
    assert payment["object"] == "charge" and payment["id"].startswith("py_")
    product = next(p for p in client.v1.products.list({"limit": 100}).data if p["default_price"])
    expanded = client.v1.products.retrieve(product["id"], {"expand": ["default_price"]})
    assert expanded["default_price"]["id"] == product["default_price"]
    with pytest.raises(stripe.InvalidRequestError) as error:  # not a field of this version
        client.v1.invoices.list({"expand": ["data.total_tax_amounts.tax_rate"]})
    assert error.value.param == "expand"
