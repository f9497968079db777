"""Is every documented list parameter honoured? Asked of a served list, over HTTP.

A filter is probed with a value taken from a served object: the answer must
be exactly the objects of the whole list that match it (so it filters, and
keeps what matches). Ranges are probed on both sides of a served value, enum
parameters with each value and with one Stripe does not list (a 400 naming
the parameter), booleans both ways.
"""

from __future__ import annotations

from collections import Counter

from stripe_sandbox.conformance import matching as m
from stripe_sandbox.conformance.client import Api, Finding, error_of
from stripe_sandbox.conformance.discovery import Served
from stripe_sandbox.conformance.gaps import PARAMETER_GAPS
from stripe_sandbox.conformance.sdk_contract import Param, list_params

BOGUS = "conformance_bogus"


def check_list_params(api: Api, served: Served) -> list[Finding]:
    template = served.endpoint.path
    found = []
    for param in list_params(served.endpoint):
        gap = PARAMETER_GAPS.get(f"{template} {param.name}")
        check = check_gap if gap else CHECKS.get(param.kind, check_equal)
        for finding in check(api, served, param):
            found.append(Finding(template, finding[0], finding[1], finding[2], param.doc))
    return found


def listed(api: Api, served: Served, params: dict) -> tuple[list[str] | None, str]:
    objects = api.every(served.path, params)
    if objects is None:
        return None, error_of(*api.get(served.path, params))
    return [o["id"] for o in objects], ""


def expect(api: Api, served: Served, param: str, params: dict, keep) -> tuple:
    """(subject, verdict, detail) of one request against the objects `keep` selects."""
    subject = " ".join(f"{k}={v}" for k, v in params.items())
    got, error = listed(api, served, params)
    if got is None:
        return subject, "failed", error
    template = served.endpoint.path
    wanted = [o["id"] for o in served.objects
              if keep(o) and not m.hidden_by_default(template, param, o)]  # fmt: skip
    if got != wanted:
        extra, missing = set(got) - set(wanted), set(wanted) - set(got)
        detail = f"{len(extra)} listed that do not match, {len(missing)} matching not listed"
        return subject, "failed", detail
    return subject, "honoured" if wanted else "vacuous", f"{len(got)} of {len(served.objects)}"


def check_equal(api: Api, served: Served, param: Param) -> list[tuple]:
    template, rule = served.endpoint.path, m.rule_for(served.endpoint.path, param.name)
    if rule.test == "payout":
        return check_payout(api, served, param)
    aliases = m.ALIASES.get(f"{template} {param.name}", {})
    values = list(param.enum) or [v for v, _ in common_values(served.objects, rule)] or [BOGUS]
    results = []
    for value in values:
        means = aliases.get(value, (value,))
        query = [value] if param.kind == "array" else value
        results.append(expect(api, served, param.name, {param.name: query}, keep(rule, means)))
        if rule.wildcard and "." in value:
            star = value.split(".")[0] + ".*"  # `invoice.*`: every `invoice.` event
            results.append(expect(api, served, param.name, {param.name: star}, keep(rule, (star,))))
    if param.enum:
        results.append(check_enum_refusal(api, served, param))
    return results


def keep(rule: m.Rule, means: tuple[str, ...]):
    """The objects a value selects: those matching any value it means (all for `()`)."""
    return lambda o: not means or m.matches(o, rule, means)


def common_values(objects: list[dict], rule: m.Rule) -> list[tuple[str, int]]:
    """The two most common served values (the commonest may be every object's)."""
    counts = Counter(m.as_query(v) for o in objects for v in m.values_at(o, rule.path)
                     if v is not None and not isinstance(v, dict | list))  # fmt: skip
    return counts.most_common(2)


def check_enum_refusal(api: Api, served: Served, param: Param) -> tuple:
    status, body = api.get(served.path, {param.name: BOGUS})
    error = body.get("error") or {}
    ok = (status, error.get("type"), error.get("param")) == (400, "invalid_request_error",
                                                             param.name)  # fmt: skip
    return f"{param.name}={BOGUS}", "honoured" if ok else "failed", error_of(status, body)


def check_bool(api: Api, served: Served, param: Param) -> list[tuple]:
    rule = m.rule_for(served.endpoint.path, param.name)
    return [expect(api, served, param.name, {param.name: value},
                   lambda o, v=value: m.matches(o, rule, (v,)))
            for value in ("true", "false")]  # fmt: skip


def check_range(api: Api, served: Served, param: Param) -> list[tuple]:
    rule = m.rule_for(served.endpoint.path, param.name)
    numbers = sorted(n for o in served.objects if (n := m.number_at(o, rule)) is not None)
    if not numbers:
        return [expect(api, served, param.name, {f"{param.name}[gte]": 0}, lambda o: False)]
    pivot = numbers[len(numbers) // 2]

    def within(low, high):
        return lambda o: (n := m.number_at(o, rule)) is not None and low <= n <= high

    return [
        expect(api, served, param.name, {f"{param.name}[gte]": pivot}, within(pivot, 2**62)),
        expect(api, served, param.name, {f"{param.name}[lt]": pivot}, within(-(2**62), pivot - 1)),
        expect(api, served, param.name, {param.name: pivot}, within(pivot, pivot)),
    ]


def check_payout(api: Api, served: Served, param: Param) -> list[tuple]:
    """Balance transactions of one payout: its own transaction included, nets summing to 0."""
    payouts = [p for p in api.every("/v1/payouts") or [] if p.get("automatic")]
    if not payouts:
        return [expect(api, served, param.name, {param.name: "po_" + BOGUS}, lambda o: False)]
    payout = payouts[len(payouts) // 2]
    got = api.every(served.path, {param.name: payout["id"]})
    if got is None:
        return [(f"{param.name}={payout['id']}", "failed", "refused")]
    ids, net = {o["id"] for o in got}, sum(o["net"] for o in got)
    ok = payout["balance_transaction"] in ids and net == 0 and len(got) < len(served.objects)
    return [(f"{param.name}={payout['id']}", "honoured" if ok else "failed",
             f"{len(got)} transactions, net {net}")]  # fmt: skip


def check_gap(api: Api, served: Served, param: Param) -> list[tuple]:
    """A listed gap: refused with Stripe's shape, never a silent 200."""
    status, body = api.get(served.path, {param.name: BOGUS})
    error = body.get("error") or {}
    ok = status == 400 and error.get("type") == "invalid_request_error" and error.get("param")
    return [(param.name, "gap" if ok else "failed", error_of(status, body))]


CHECKS = {"bool": check_bool, "range": check_range}
