"""Schemathesis, with every check, against each service's own OpenAPI document (as the gateway
would forward each role) and against the gateway's merged document (with each role's bearer
token): no server error, every response as documented, invalid data refused, valid data accepted.

The real ``st run`` command runs against the suite served on loopback, so checks that re-send a
request (authentication, methods, headers) work as they would against a deployment. Runs are
bounded (few examples per operation, deterministic generation) to keep the suite fast; the
coverage and stateful phases (missing headers, undeclared methods, boundary values, chained calls)
run once, on the gateway's document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import security_suite as suite_module  # type: ignore[import-not-found]

ROLES = suite_module.ROLES

# Explicit configuration, each with its reason; everything else is schemathesis's default ("all").
CONFIG = """
[generation]
# The services refuse NUL characters in text with 422 on purpose (PostgreSQL text cannot hold
# them; the bad-input catalogue checks that refusal). Generating them only turns valid data into
# refused data.
allow-x00 = false

[checks]
# A schema-valid request may still be refused, with a documented problem: 401/403 (the role),
# 404 (generated ids name nothing), 409 (state), 412/428 (generated or missing If-Match), and 422
# for rules JSON Schema cannot state: a decimal string greater than zero, distinct values, dates
# within a range, cursors this API issued, references to other records. Invalid data is still
# required to be refused (negative_data_rejection), and 5xx never passes.
positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "412", "422", "428"]
# Idempotency-Key is documented required on every POST that takes it; a POST without it gets the
# documented problem, 428 idempotency-key-required (plan registry, gateway) or 422 (budget ledger,
# monitoring). A request wrong in two ways may be refused for the other first: 412 for an If-Match
# that matches nothing (closing a round checks it before the key). Defaults otherwise.
missing_required_header.expected-statuses = ["400", "401", "403", "406", "412", "415", "422", "428"]
negative_data_rejection.expected-statuses = [
    "400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428", "429", "5xx",
]

# The OAuth2 authorization endpoint is a browser page, not a JSON API: a client_id or redirect_uri
# it does not know gets 400 and no redirect (RFC 6749 section 4.1.2.1 forbids redirecting to an
# unverified URI). Every generated client_id is unknown, so 400 is the right answer to valid data.
[[operations]]
include-path = "/oauth2/authorize"
checks.positive_data_acceptance.expected-statuses = ["2xx", "303", "400", "401"]
"""



SERVICES = ("plan-registry", "budget-ledger", "monitoring")

# Which roles fuzz each service directly (the identity header the gateway would forward). Every
# role goes through the gateway; the services get the roles whose code paths differ most (an
# anonymous caller reaches a service only through the gateway, fuzzed above).
SERVICE_ROLES = ("secretariat", "agency-MOF", "subcommittee")


def _run(tmp_path: Path, name: str, base_url: str, headers: dict[str, str], phases: str, examples: int) -> list[str]:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    report = tmp_path / f"{name}.json"
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{base_url}/openapi.json",
        "--checks", "all",
        "--phases", phases, "--max-examples", str(examples), "--workers", "1",
        "--generation-deterministic", "--suppress-health-check", "all", "--no-color", "--no-shrink",
        "--request-timeout", "30", "--report", "json", "--report-json-path", str(report),
    ]
    for header, value in headers.items():
        command += ["--header", f"{header}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = done.stdout + done.stderr
    if done.returncode not in (0, 1) or not report.exists():
        raise AssertionError(f"schemathesis did not run:\n{output[-4000:]}")
    summary = json.loads(report.read_text())
    failures = _failures(summary)
    operations = summary["operations"]
    if operations["tested"] < operations["selected"] or summary["test_cases"]["generated"] < operations["selected"]:
        failures.append(f"not every operation was exercised: {operations}, {summary['test_cases']}")
    if done.returncode != 0 and not failures:
        raise AssertionError(f"schemathesis failed without reporting why:\n{output[-4000:]}")
    if failures:
        (tmp_path / f"{name}.txt").write_text(output)
        failures.append(output[output.find("FAILURES"):][:20000])
    return failures


def _failures(report: dict) -> list[str]:
    found = [json.dumps(failure, ensure_ascii=False)[:600] for failure in report.get("failures") or []]
    found += [f"error: {json.dumps(error, ensure_ascii=False)[:600]}" for error in report.get("errors") or []]
    return found


# `make test` runs a short form: the callers whose code paths differ most (no identity, the
# secretariat, an agency, a chair that records resolutions), through the gateway and at the
# services. `make fuzz` runs every role against every document (marked slow: about 10 minutes).
SHORT_GATEWAY_ROLES = ("anonymous", "secretariat", "agency-MOF", "subcommittee")
SHORT_SERVICE_RUNS = (
    ("plan-registry", "secretariat"), ("budget-ledger", "agency-MOF"), ("budget-ledger", "subcommittee"),
    ("monitoring", "agency-MOF"),
)


def _long_unless(short: bool):  # type: ignore[no-untyped-def]
    return () if short else (pytest.mark.slow,)


@pytest.mark.parametrize(
    "role", [pytest.param(r, id=r.name, marks=_long_unless(r.name in SHORT_GATEWAY_ROLES)) for r in ROLES]
)
def test_gateway_document_as_each_role(suite, role, tmp_path):
    failures = _run(tmp_path, f"gateway-{role.name}", suite.gateway_url, role.gateway_headers(suite), "examples,fuzzing", 3)
    assert failures == [], "\n".join(failures)


def test_gateway_document_coverage_phase(suite, tmp_path):
    """Boundary values, missing required headers, undeclared methods, and sequences of calls that
    reuse what earlier calls created (once: these are the slow phases)."""
    secretariat = suite_module.ROLE_BY_NAME["secretariat"]
    failures = _run(tmp_path, "gateway-coverage", suite.gateway_url, secretariat.gateway_headers(suite), "coverage,stateful", 3)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    ("service", "role_name"),
    [
        pytest.param(service, role_name, id=f"{service}-{role_name}",
                     marks=_long_unless((service, role_name) in SHORT_SERVICE_RUNS))
        for service in SERVICES
        for role_name in SERVICE_ROLES
    ],
)
def test_service_document_as_role(suite, service, role_name, tmp_path):
    role = suite_module.ROLE_BY_NAME[role_name]
    url = suite.service_urls[service]
    failures = _run(tmp_path, f"{service}-{role.name}", url, role.service_headers(suite), "examples,fuzzing", 3)
    assert failures == [], "\n".join(failures)
