"""The sandbox against Stripe's own contract: the pinned SDK's endpoints, params, expansions.

The probe (`stripe_sandbox.conformance`) reads what the SDK declares with
`ast` and asks the running sandbox over HTTP; here every served endpoint
must be found, every documented parameter and expansion probed, and every
finding honoured or a listed gap.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from stripe_sandbox.conformance.check_params import check_enum_refusal, expect
from stripe_sandbox.conformance.client import Api
from stripe_sandbox.conformance.discovery import discover
from stripe_sandbox.conformance.gaps import EXPANSION_GAPS, UNHELD_OBJECTS
from stripe_sandbox.conformance.report import conformance
from stripe_sandbox.conformance.sdk_contract import Param, expansions, list_params
from stripe_sandbox.resources import RESOURCES

EMBEDDED_LISTS = ("/v1/transfers/{id}/reversals", "/v1/application_fees/{id}/refunds")
SINGLETONS = ("/v1/balance",)


@pytest.fixture(scope="module")
def findings(sandbox):
    return conformance(sandbox.base_url, sandbox.api_key)


@pytest.fixture(scope="module")
def api(sandbox):
    api = Api(sandbox.base_url, sandbox.api_key)
    yield api
    api.close()


@pytest.fixture(scope="module")
def served(api):
    return discover(api)


def routed_templates() -> set[str]:
    """What the sandbox routes: lists, retrieves, nested and embedded lists, singletons."""
    found = set(SINGLETONS)
    for obj in RESOURCES:
        if obj.parent:
            found.add(obj.list_path.replace("{parent}", "{id}"))
        else:
            found |= {obj.list_path, f"{obj.list_path}/{{id}}"}
    found |= {path for path in EMBEDDED_LISTS if path.split("/")[2] in {o.name for o in RESOURCES}}
    return found


def test_every_endpoint_the_sandbox_routes_is_found_and_declared_by_the_sdk(served):
    assert routed_templates() <= set(served), routed_templates() - set(served)
    listed = [s for s in served.values() if s.endpoint.is_list]
    assert all(s.objects for s in listed), [s.path for s in listed if not s.objects]


def test_every_documented_parameter_and_expansion_is_probed(served, findings):
    subjects = {(f.endpoint, f.subject.split("=")[0].split("[")[0]) for f in findings}
    for template, one in served.items():
        if not one.endpoint.is_list:
            continue
        for param in list_params(one.endpoint):
            assert (template, param.name.split("[")[0]) in subjects, (template, param.name)
        for expansion in expansions(one.endpoint):
            assert (template, f"expand data.{expansion.path}") in subjects


def test_every_finding_is_honoured_or_a_listed_gap(findings):
    failed = [f"{f.endpoint} {f.subject}: {f.detail}" for f in findings if not f.passed]
    assert not failed, "\n".join(failed)
    assert sum(f.verdict == "honoured" for f in findings) > 150


def test_every_listed_gap_is_still_needed(findings):
    words = set(re.findall(r"\w+", " ".join(f.detail for f in findings if f.verdict == "gap")))
    assert set(UNHELD_OBJECTS) <= words, set(UNHELD_OBJECTS) - words
    gap_subjects = {f"{f.endpoint} {f.subject.split()[-1].removeprefix('data.')}"
                    for f in findings if f.verdict == "gap"}  # fmt: skip
    assert set(EXPANSION_GAPS) <= gap_subjects


def test_the_probe_fails_a_wrong_200_and_a_wrong_answer(api, served):
    payouts = served["/v1/payouts"]
    unchecked = Param("status", doc="", enum=("paid",))  # no enum in the SDK: any value is 200
    assert check_enum_refusal(api, payouts, unchecked)[1] == "failed"
    everything = expect(api, payouts, "status", {"status": "paid"}, lambda o: True)
    assert everything[1] == "failed"


def test_cli_prints_each_gap_with_what_stripe_does_and_exits_zero(sandbox):
    command = [sys.executable, "-m", "stripe_sandbox", "conformance",
               "--base-url", sandbox.base_url, "--key", sandbox.api_key]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Deliberate gaps" in done.stdout and "Not conforming (0)" in done.stdout
    assert "Stripe: ID of the bank account or card the payout is sent to." in done.stdout
