"""Idempotency-Key is documented as what it is: required.

Every POST that takes an Idempotency-Key refuses a request without one, so every service's OpenAPI
document (and the gateway's merged one) must say ``required: true`` and document the problem a
missing key gets. And the documents must be true: each such POST, called without the key by a
caller allowed to make it with a well-formed body, gets exactly the documented problem and writes
nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select

from budget_ledger.definition import definition as budget_ledger_definition
from dgplan_shared.openapi_conventions import IF_MATCH_OPTIONAL_MARK, OPTIONAL_MARK, idempotency_key_parameter
from dgplan_shared.problems import IDEMPOTENCY_KEY_REQUIRED, PROBLEM_JSON, TYPE_PREFIX
from dgplan_shared.service import ServiceDefinition, create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url
from gateway.definition import definition as gateway_definition
from gateway.edge.domain.openapi_merge import merge
from monitoring.definition import definition as monitoring_definition
from notifications.definition import definition as notifications_definition
from plan_registry.definition import definition as plan_registry_definition

DEFINITIONS: dict[str, Callable[[], ServiceDefinition]] = {
    "plan-registry": plan_registry_definition,
    "budget-ledger": budget_ledger_definition,
    "monitoring": monitoring_definition,
    "notifications": notifications_definition,
    "gateway": gateway_definition,
}

# POSTs whose Idempotency-Key stays optional on purpose, each with its reason (not enforced, moves
# no money, creates nothing). A route listed here opts out with
# ``openapi_extra=dgplan_shared.openapi_conventions.IDEMPOTENCY_KEY_OPTIONAL``. None today.
OPTIONAL_KEY: dict[tuple[str, str], str] = {}

# POSTs that take no Idempotency-Key at all, each with its reason: they create nothing and post no
# money, and repeating them is harmless or refused by the state they change.
NO_KEY: dict[tuple[str, str], str] = {
    ("gateway", "/oauth2/token"): "issues a short-lived token (OAuth2 client credentials); creates no record",
    ("gateway", "/oauth2/authorize"):
        "the browser's login form (RFC 6749 §4.1): each submit issues a new single-use, short-lived code",
    ("plan-registry", "/api/v1/plans/{plan_id}/versions/{version_id}/submit"):
        "a state transition of a draft: a repeat finds the version already submitted (409)",
    ("plan-registry", "/api/v1/observations/{observation_id}/resolution"):
        "a state transition of an observation: a repeat finds it already resolved",
    ("plan-registry", "/api/v1/observations/{observation_id}/close"):
        "a state transition of an observation: a repeat finds it already closed",
    ("notifications", "/api/v1/notices/unsubscribe"):
        "turns one preference off (a repeat changes nothing); a mail program's RFC 8058 one-click POST sends no key",
}

FAKE_ID = "00000000000000000000000000"


def _refusal(service: str) -> tuple[int, str]:
    """What a POST of ``service`` without the key gets: one answer in every service, so an agency
    system handles a single contract."""
    return IDEMPOTENCY_KEY_REQUIRED


def _bilingual(label: str) -> dict[str, str]:
    return {"th": f"ทดสอบ {label}", "en": f"Test {label}"}


def _code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _in_days(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


def _posting() -> dict[str, Any]:
    return {"project_id": FAKE_ID, "fiscal_year": 2565, "expense_category": "operating", "stage": "committed",
            "amount": "100.00"}


def _budget_request() -> dict[str, Any]:
    return {"project_id": FAKE_ID, "amounts": {"operating": "1000.00"}, "justification": "ความจำเป็น / need"}


SECRETARIAT = {"roles": ["secretariat"], "bodies": ["dga-secretariat"]}
AGENCY = {"roles": ["agency"], "agency": "MOF"}
SUBCOMMITTEE = {"roles": ["body_member"], "bodies": ["operations-budget-subcommittee"], "offices": ["operations-budget-subcommittee"]}
OPERATOR = {"roles": ["operator"]}
MEMBER = {"roles": ["body_member"], "bodies": ["dgc"]}

# A well-formed call of every POST that takes the key: (caller, body, other headers). Ids in paths
# name nothing: the key is checked before anything is looked up.
CALLS: dict[tuple[str, str], tuple[dict[str, Any], Any, dict[str, str]]] = {
    ("plan-registry", "/api/v1/plans"):
        (SECRETARIAT, {"code": _code("PLAN"), "title": _bilingual("plan"), "start_fy": 2566, "end_fy": 2570}, {}),
    ("plan-registry", "/api/v1/plans/import"): (
        SECRETARIAT,
        {"format": "dgplan.plan-export/1", "agencies": [],
         "plan": {"id": "p1", "code": _code("PLAN"), "title": _bilingual("plan"), "start_fy": 2566, "end_fy": 2570,
                  "latest_version_id": "v1"},
         "versions": [{"id": "v1", "number": 1, "status": "draft", "nodes": []}]},
        {},
    ),
    ("plan-registry", "/api/v1/plans/{plan_id}/versions"): (SECRETARIAT, {}, {}),
    ("plan-registry", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes"): (
        SECRETARIAT, {"name": _bilingual("node"), "code": _code("N"), "node_type": "project", "parent_id": FAKE_ID}, {},
    ),
    ("plan-registry", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}/roles"):
        (SECRETARIAT, {"agency": "MOF", "role": "supporting"}, {}),
    ("plan-registry", "/api/v1/projects"): (
        AGENCY,
        {"plan_id": FAKE_ID, "parent_id": FAKE_ID, "code": _code("MOF"), "name": _bilingual("project"),
         "roles": [{"agency": "MOF", "role": "lead"}]},
        {},
    ),
    ("plan-registry", "/api/v1/agencies"):
        (SECRETARIAT, {"code": _code("AG").upper(), "name": _bilingual("agency")}, {}),
    ("plan-registry", "/api/v1/plans/{plan_id}/versions/{version_id}/observations"):
        (SECRETARIAT, {"text": _bilingual("observation"), "raised_by_body": "nesdc"}, {}),
    ("plan-registry", "/api/v1/observations/{observation_id}/responses"):
        (SECRETARIAT, {"text": _bilingual("response")}, {}),
    ("budget-ledger", "/api/v1/budget/postings"): (SECRETARIAT, _posting(), {}),
    ("budget-ledger", "/api/v1/budget/postings/batch"): (SECRETARIAT, {"entries": [_posting()]}, {}),
    ("budget-ledger", "/api/v1/budget/frameworks/import"): (
        SECRETARIAT,
        {"plan_id": FAKE_ID, "plan_total": "1000.00",
         "strategies": [{"strategy_id": FAKE_ID, "budget_framework": "1000.00"}]},
        {},
    ),
    ("budget-ledger", "/api/v1/screening/rounds"): (
        SECRETARIAT,
        {"plan_id": FAKE_ID, "fiscal_year": 2564, "ceiling": "1000000.00", "submission_deadline": _in_days(10),
         "decision_deadline": _in_days(20)},
        {},
    ),
    ("budget-ledger", "/api/v1/screening/rounds/{round_id}/requests"): (AGENCY, _budget_request(), {}),
    # the file is the raw body (XLSX or CSV); the key is checked before the body is read
    ("budget-ledger", "/api/v1/screening/rounds/{round_id}/requests/import"): (AGENCY, None, {"Content-Type": "text/csv"}),
    ("budget-ledger", "/api/v1/screening/requests/{request_id}/revision"):
        (AGENCY, _budget_request(), {"If-Match": '"v1"'}),  # If-Match is checked first
    ("budget-ledger", "/api/v1/screening/requests/{request_id}/decisions"):
        (SUBCOMMITTEE, {"decision": "recommend-full", "reason": "สอดคล้องกับแผน",
                       "meeting": {"title": "ครั้งที่ 1/2564", "held_on": "2021-11-15"}}, {}),
    ("budget-ledger", "/api/v1/screening/rounds/{round_id}/package"): (SUBCOMMITTEE, {}, {}),
    ("budget-ledger", "/api/v1/screening/rounds/{round_id}/close"): (SECRETARIAT, {}, {}),
    ("monitoring", "/api/v1/monitoring/indicators"): (
        SECRETARIAT,
        {"code": _code("IND"), "name": _bilingual("indicator"), "unit": "percent", "measure_type": "percent",
         "link": {"type": "project", "id": FAKE_ID}},
        {},
    ),
    ("monitoring", "/api/v1/monitoring/indicators/{indicator_id}/actuals"):
        (SECRETARIAT, {"fiscal_year": 2565, "quarter": 2, "value": "10"}, {}),
    ("monitoring", "/api/v1/monitoring/progress-reports"):
        (AGENCY, {"project_id": FAKE_ID, "fiscal_year": 2565, "quarter": 2, "percent_complete": "30.00"}, {}),
    ("notifications", "/api/v1/webhooks/endpoints"): (AGENCY, {"url": "https://hooks.example.org/dgplan"}, {}),
    ("notifications", "/api/v1/webhooks/endpoints/{endpoint_id}/secret/rotate"): (AGENCY, {}, {}),
    ("notifications", "/api/v1/webhooks/endpoints/{endpoint_id}/test"): (AGENCY, None, {}),
    ("notifications", "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay"): (AGENCY, None, {}),
    ("notifications", "/api/v1/webhooks/endpoints/{endpoint_id}/replay"):
        (AGENCY, {"since": "2026-01-01T00:00:00Z"}, {}),
    ("gateway", "/api/v1/admin/clients"):
        (OPERATOR, {"client_id": _code("client"), "name": "Test client", "roles": ["agency"], "agency": "MOF"}, {}),
    ("gateway", "/api/v1/admin/clients/{client_id}/secret"): (OPERATOR, None, {}),
    ("gateway", "/api/v1/governance/instances/{instance_id}/votes"):
        (MEMBER, {"choice": "approve", "reason": "เห็นชอบ"}, {}),
    ("gateway", "/api/v1/governance/instances/{instance_id}/decisions"):
        (MEMBER, {"decision": "approve", "reason": "เห็นชอบ"}, {}),
    ("gateway", "/api/v1/governance/bodies"): (
        OPERATOR,
        {"code": _code("body").lower(), "name": _bilingual("body"), "kind": "committee",
         "rule": {"quorum": {"fraction": "1/2"}}},
        {},
    ),
    ("gateway", "/api/v1/governance/bodies/{code}/members"):
        (OPERATOR, {"subject": _code("subject"), "role": "member"}, {}),
    ("gateway", "/api/v1/governance/workflows/{key}/versions"): (OPERATOR, {"key": "plan-approval", "stages": []}, {}),
}


def _settings(service: str, database_url: str = "sqlite+aiosqlite:///:memory:") -> Any:
    return DEFINITIONS[service]().settings_type(database_url=database_url, bus="memory")


def _document(service: str) -> dict[str, Any]:
    return create_service_app(DEFINITIONS[service](), _settings(service)).openapi()


def _check_document(document: dict[str, Any], service_of: Callable[[dict[str, Any]], str]) -> list[str]:
    """What in ``document`` breaks the convention (an empty list when nothing does)."""
    problems = []
    for path, item in document["paths"].items():
        operation = item.get("post")
        if operation is None:
            continue
        service = service_of(operation)
        parameter = idempotency_key_parameter(operation)
        if parameter is None:
            if (service, path) not in NO_KEY:
                problems.append(f"{service} POST {path}: no Idempotency-Key (and not listed in NO_KEY)")
            continue
        if (service, path) in OPTIONAL_KEY:
            if parameter.get("required") or not operation.get(OPTIONAL_MARK):
                problems.append(f"{service} POST {path}: listed as optional but documented otherwise")
            continue
        if parameter.get("required") is not True:
            problems.append(f"{service} POST {path}: Idempotency-Key documented as optional")
        status, slug = _refusal(service)
        response = operation.get("responses", {}).get(str(status), {})
        if PROBLEM_JSON not in response.get("content", {}):
            problems.append(f"{service} POST {path}: the {status} problem+json answer is not documented")
        if TYPE_PREFIX + slug not in response.get("description", "") + parameter.get("description", ""):
            problems.append(f"{service} POST {path}: the problem type of a missing key is not named")
        if (service, path) not in CALLS:
            problems.append(f"{service} POST {path}: no live call in CALLS")
    return problems


@pytest.mark.parametrize("service", sorted(DEFINITIONS))
def test_every_post_documents_the_idempotency_key_as_required(service):
    assert _check_document(_document(service), lambda op: service) == []


def test_the_merged_document_keeps_the_idempotency_key_required():
    documents = {name: _document(name) for name in DEFINITIONS}
    merged = merge(documents.pop("gateway"), documents, [])
    assert _check_document(merged, lambda op: op.get("x-dgplan-service", "gateway")) == []
    required = [
        path for path, item in merged["paths"].items()
        if "post" in item and (p := idempotency_key_parameter(item["post"])) is not None and p.get("required")
    ]
    assert len(required) == len(CALLS)


def test_every_live_call_is_a_documented_post():
    documented = {
        (service, path)
        for service in DEFINITIONS
        for path, item in _document(service)["paths"].items()
        if "post" in item and idempotency_key_parameter(item["post"]) is not None
    }
    assert set(CALLS) == documented


async def _row_counts(app: Any) -> dict[str, int]:
    runtime = app.state.runtime
    async with runtime.db.session() as session:
        return {
            table.name: (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for table in runtime.definition.metadata.sorted_tables
        }


@asynccontextmanager
async def _served(service: str, directory: Any, **extras: Any) -> AsyncIterator[tuple[Any, Any, Any]]:
    definition = DEFINITIONS[service]()
    url = await migrated_database_url(
        definition.migrations, "sqlite", postgres_server=None, directory=directory, prefix=service.replace("-", "_")
    )
    settings = _settings(service, url)
    app = create_service_app(definition, settings, extras=extras or None)
    async with asgi_client(app) as client:
        yield client, app, settings


def _concrete(path: str) -> str:
    """Ids in paths name nothing (the key is checked first); names of things are real ones."""
    path = path.replace("{key}", "plan-approval").replace("{code}", "dgc")
    return re.sub(r"\{[^}]+\}", FAKE_ID, path)


async def _refused_without_key(
    client: Any, app: Any, service: str, headers_for: Callable[[dict[str, Any]], Any]
) -> list[str]:
    problems = []
    status, slug = _refusal(service)
    for (owner, path), (caller, body, extra) in CALLS.items():
        if owner != service:
            continue
        before = await _row_counts(app)
        headers = {**(await headers_for(caller)), **extra}
        response = await client.post(_concrete(path), json=body, headers=headers)
        after = await _row_counts(app)
        answer = response.json() if response.headers.get("content-type") == PROBLEM_JSON else {}
        if (response.status_code, answer.get("type")) != (status, TYPE_PREFIX + slug):
            problems.append(f"POST {path}: {response.status_code} {response.text[:300]}")
        elif status == 422 and [e["field"] for e in answer.get("errors", [])] != ["Idempotency-Key"]:
            problems.append(f"POST {path}: refused for more than the key: {answer}")  # the body must be well-formed
        if after != before:
            problems.append(f"POST {path} wrote: {before} -> {after}")
    return problems


@pytest.mark.parametrize("service", ["plan-registry", "budget-ledger", "monitoring", "notifications"])
async def test_a_post_without_the_key_gets_the_documented_problem_and_writes_nothing(service, tmp_path):
    async with _served(service, tmp_path) as (client, app, settings):

        async def headers_for(caller: dict[str, Any]) -> dict[str, str]:
            return identity_headers(settings, subject="conventions-test", **caller)

        assert await _refused_without_key(client, app, service, headers_for) == []


async def test_the_gateway_refuses_its_own_posts_without_the_key_and_serves_them_as_required(tmp_path):
    from gateway.edge.application.bearer_tokens import issue_token
    from gateway.edge.domain.tokens import ClientGrant
    from gateway.edge.adapters.clients_repository import get_client, insert_client
    from gateway.edge.domain.secrets_hashing import hash_secret
    from gateway.edge.state import edge_state

    upstreams = {}
    for name in ("plan-registry", "budget-ledger", "monitoring", "notifications"):
        upstreams[name] = create_service_app(DEFINITIONS[name](), _settings(name))
    async with _served("gateway", tmp_path, upstream_apps=upstreams) as (client, app, _):
        runtime = app.state.runtime
        edge = edge_state(runtime)

        async def headers_for(caller: dict[str, Any]) -> dict[str, str]:
            subject = f"conventions-{caller['roles'][0]}"
            async with runtime.db.session() as session:  # the edge checks that a token's client is active
                if await get_client(session, subject) is None:
                    await insert_client(session, client_id=subject, name=subject, secret_hash=hash_secret("unused"),
                                        roles=caller["roles"], agency=caller.get("agency"))
                    await session.commit()
            token, _ = await issue_token(edge.keys, edge.settings, ClientGrant(subject, tuple(caller["roles"]), None),
                                       "http://testserver")
            return {"Authorization": f"Bearer {token}"}

        for caller in (OPERATOR, MEMBER):  # clients made before counting rows
            await headers_for(caller)
        assert await _refused_without_key(client, app, "gateway", headers_for) == []

        merged = (await client.get("/openapi.json")).json()
    assert "x-dgplan-unavailable" not in merged
    assert _check_document(merged, lambda op: op.get("x-dgplan-service", "gateway")) == []


@pytest.mark.parametrize("service", sorted(DEFINITIONS))
def test_every_if_match_is_documented_required_with_its_problems_and_every_key_its_limits(service):
    """An update refuses a request without If-Match (428) or with a stale one (412); a blank
    Idempotency-Key is refused like a missing one: the document says both."""
    checked = 0
    for path, item in _document(service)["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                name = str(parameter.get("name", "")).lower()
                if parameter.get("in") != "header":
                    continue
                if name == "if-match" and not operation.get(IF_MATCH_OPTIONAL_MARK):
                    checked += 1
                    assert parameter["required"] is True, f"{method.upper()} {path}"
                    assert {"412", "428"} <= set(operation["responses"]), f"{method.upper()} {path}"
                    assert parameter["schema"].get("type") == "string"
                if name == "idempotency-key" and method == "post" and not operation.get(OPTIONAL_MARK):
                    checked += 1
                    assert parameter["schema"]["minLength"] == 1 and parameter["schema"]["maxLength"] == 200
    assert checked > 0
