"""Run every check against a server and say what conforms, what is a gap, what fails."""

from __future__ import annotations

from stripe_sandbox.conformance.check_expansions import check_expansions
from stripe_sandbox.conformance.check_paging import check_paging, check_unknown_refusal
from stripe_sandbox.conformance.check_params import check_list_params
from stripe_sandbox.conformance.client import Api, Finding
from stripe_sandbox.conformance.discovery import discover


def conformance(base_url: str, key: str) -> list[Finding]:
    """Findings for every served list (its parameters and expansions) and retrieve."""
    api = Api(base_url, key)
    try:
        served = discover(api)
        findings = []
        for template, one in served.items():
            if one.objects:
                findings.append(check_unknown_refusal(api, one))
            if one.endpoint.is_list:
                findings += check_paging(api, one) + check_list_params(api, one)
                findings += check_expansions(api, one, served.get(f"{template}/{{id}}"))
        return findings
    finally:
        api.close()


def print_report(findings: list[Finding], verbose: bool = False) -> int:
    """Gaps with what Stripe would do, failures, a count; 1 if anything failed."""
    gaps: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.verdict == "gap":
            gaps.setdefault((f.subject.split()[-1].removeprefix("data."), f.doc), []).append(f)
    failed = [f for f in findings if not f.passed]
    print(f"Deliberate gaps ({len(gaps)}):")
    for (subject, doc), where in gaps.items():
        print(f"  {subject} on {', '.join(sorted({f.endpoint for f in where}))}:"
              f" {where[0].detail}\n      Stripe: {doc}")  # fmt: skip
    if verbose:
        for f in findings:
            if f.verdict in ("honoured", "vacuous"):
                print(f"  ok {f.verdict:<9} {f.endpoint} {f.subject}: {f.detail}")
    print(f"Not conforming ({len(failed)}):")
    for f in failed:
        print(f"  {f.endpoint} {f.subject}: {f.detail}\n      Stripe: {f.doc}")
    counts = {v: sum(f.verdict == v for f in findings) for v in ("honoured", "vacuous", "gap")}
    print(", ".join(f"{n} {v}" for v, n in counts.items()) + f", {len(failed)} failed")
    return 1 if failed else 0
