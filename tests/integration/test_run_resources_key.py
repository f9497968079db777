"""`make run` against Stripe itself gives Dagster the key by its variable's name: the runs it
records in the instance (job snapshots, run config) never hold the key. Stripe here is a
sandbox reached as Stripe is, by a key from the environment and a base URL."""

from __future__ import annotations

import dagster as dg
from dagster._serdes import serialize_value

from pipeline.cli.run_jobs import run_definitions
from pipeline.cli.target import Target, run_resources
from pipeline.defs.resources import StripeResource

KEY = "sk_test_" + "Zq9" * 12


def test_a_key_from_the_environment_is_not_in_the_recorded_job(sandbox, monkeypatch, tmp_path):
    monkeypatch.setenv("STRIPE_API_KEY", KEY)  # the sandbox takes any test key
    resources = run_resources(Target(KEY, sandbox.base_url), tmp_path)
    job = run_definitions(resources).resolve_job_def("extract_raw")
    assert KEY not in serialize_value(job.get_job_snapshot())
    stripe = resources["stripe"]
    assert KEY not in repr(stripe)
    seen = []

    @dg.asset
    def reads_the_key(stripe: StripeResource) -> None:
        seen.append(stripe.api_key)

    assert dg.materialize([reads_the_key], resources={"stripe": stripe}).success
    assert seen == [KEY]  # read from the environment at run time


def test_a_key_not_from_the_environment_is_given_as_it_is(monkeypatch, tmp_path):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    target = Target("sk_test_sandbox", "http://127.0.0.1:9")
    assert run_resources(target, tmp_path)["stripe"].api_key == "sk_test_sandbox"


def test_make_runs_checks_outside_a_run_read_the_key_from_the_environment(
    sandbox, monkeypatch, tmp_path
):
    monkeypatch.setenv("STRIPE_API_KEY", KEY)
    stripe = run_resources(Target(KEY, sandbox.base_url), tmp_path)["stripe"]
    stripe.check_settings()  # the key's shape and the API reached, as before the first run
    assert stripe.http_config().api_key == KEY
