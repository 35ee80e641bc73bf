"""A well-formed request for every write operation of the suite, built on the security world.

Services validate a request's shape before they look at who sends it, so an authorization check
needs requests that pass validation; the bad-input catalogue starts from the same requests and
breaks one thing at a time. Keyed by (method, path template) as the merged OpenAPI names them;
the tests fail when an operation has no entry here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from security_world import World  # type: ignore[import-not-found]



@dataclass(frozen=True)
class Upload:
    """A raw (non-JSON) request body: a file sent as itself, e.g. a spreadsheet to import."""

    content: bytes
    media_type: str


Body = dict[str, Any] | Upload | None


def _bilingual(label: str) -> dict[str, str]:
    return {"th": f"ทดสอบ {label}", "en": f"Test {label}"}


def _code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _request_body(w: World, agency: str = "MOF") -> dict[str, Any]:
    return {"project_id": w.projects[agency], "amounts": {"operating": "1000.00"}, "justification": "ความจำเป็น / need"}


def _posting(w: World) -> dict[str, Any]:
    return {"project_id": w.projects["MOF"], "fiscal_year": w.fiscal_year, "expense_category": "operating",
            "stage": "committed", "amount": "100.00"}


def _workflow_definition() -> dict[str, Any]:
    return {"key": "plan-approval", "stages": []}


# The seed's National Strategy, sent back whole: a replacement that keeps every node a plan links to.
_NATIONAL_STRATEGY = Path(__file__).resolve().parents[2] / "services/plan-registry/plan_registry/seed/framework-national-strategy.json"


def _framework(w: World) -> dict[str, Any]:
    document = json.loads(_NATIONAL_STRATEGY.read_text(encoding="utf-8"))
    return {"kind": document["kind"], "name": document["name"], "nodes": document["nodes"]}


def _now_plus(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


BODIES: dict[tuple[str, str], Callable[[World], Body]] = {
    # gateway: clients and governance
    ("POST", "/api/v1/admin/clients"):
        lambda w: {"client_id": _code("client"), "name": "Test client", "roles": ["agency"], "agency": "MOF"},
    ("PATCH", "/api/v1/admin/clients/{client_id}"): lambda w: {"name": "Renamed test client"},
    ("POST", "/api/v1/admin/clients/{client_id}/secret"): lambda w: None,
    ("POST", "/api/v1/governance/instances/{instance_id}/votes"): lambda w: {"choice": "approve", "reason": "เห็นชอบ"},
    ("POST", "/api/v1/governance/instances/{instance_id}/decisions"):
        lambda w: {"decision": "approve", "reason": "เห็นชอบ"},
    ("POST", "/api/v1/governance/bodies"): lambda w: {
        "code": _code("body").lower(), "name": _bilingual("body"), "kind": "committee", "rule": {"quorum": {"fraction": "1/2"}},
    },
    ("PATCH", "/api/v1/governance/bodies/{code}"): lambda w: {"name": _bilingual("body renamed")},
    ("PATCH", "/api/v1/governance/bodies/{code}/members/{subject}"): lambda w: {"role": "member"},
    ("POST", "/api/v1/governance/bodies/{code}/members"): lambda w: {"subject": _code("subject"), "role": "member"},
    ("POST", "/api/v1/governance/workflows/{key}/versions"): lambda w: _workflow_definition(),
    # notifications: MOF's webhook endpoint
    ("POST", "/api/v1/webhooks/endpoints"):
        lambda w: {"url": "https://hooks.example.org/dgplan-2", "event_types": ["dgplan.budget-ledger.*"]},
    ("PATCH", "/api/v1/webhooks/endpoints/{endpoint_id}"): lambda w: {"description": "MOF's receiver, renamed"},
    ("DELETE", "/api/v1/webhooks/endpoints/{endpoint_id}"): lambda w: None,
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/secret/rotate"): lambda w: {"overlap_seconds": 3600},
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/test"): lambda w: None,
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay"): lambda w: None,
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/replay"): lambda w: {"since": _now_plus(-1)},
    # notifications: the caller's own notice settings; an unsubscribe without a link's token
    ("PUT", "/api/v1/notices/me"): lambda w: {"email": "someone@agency.go.th", "language": "th"},
    ("PUT", "/api/v1/notices/me/preferences/{kind}"): lambda w: {"subscribed": False},
    ("POST", "/api/v1/notices/unsubscribe"): lambda w: None,
    # budget ledger
    ("POST", "/api/v1/budget/postings"): _posting,
    ("POST", "/api/v1/budget/postings/batch"): lambda w: {"entries": [_posting(w)]},
    ("POST", "/api/v1/budget/frameworks/import"): lambda w: {
        "plan_id": w.plan_id, "plan_total": "1000.00", "strategies": [{"strategy_id": w.strategy_id, "budget_framework": "1000.00"}],
    },
    ("POST", "/api/v1/screening/rounds"): lambda w: {
        "plan_id": w.plan_id, "fiscal_year": 2564, "ceiling": "1000000.00",
        "submission_deadline": _now_plus(10), "decision_deadline": _now_plus(20),
    },
    ("POST", "/api/v1/screening/rounds/{round_id}/requests"): lambda w: _request_body(w),
    ("POST", "/api/v1/screening/rounds/{round_id}/requests/import"): lambda w: Upload(
        f"project_id,operating,justification\r\n{w.projects['MOF']},1000.00,ความจำเป็น / need\r\n".encode(), "text/csv"),
    ("POST", "/api/v1/screening/requests/{request_id}/revision"): lambda w: _request_body(w),
    ("POST", "/api/v1/screening/requests/{request_id}/decisions"):
        lambda w: {"decision": "recommend-full", "reason": "สอดคล้องกับแผน", "meeting": {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 1/2564", "held_on": "2021-11-15"}},
    ("POST", "/api/v1/screening/rounds/{round_id}/package"): lambda w: {},
    ("PUT", "/api/v1/screening/rounds/{round_id}/ranking/criteria"): lambda w: {"criteria": [
        {"code": "need", "name": {"th": "ความจำเป็น", "en": "Need"}, "weight": "1"}]},
    ("PUT", "/api/v1/screening/rounds/{round_id}/ranking/scores"): lambda w: {"scores": [
        {"request_id": w.requests["MOF"], "criterion": "need", "score": "80", "reason": "จำเป็น"}]},
    ("POST", "/api/v1/screening/rounds/{round_id}/close"): lambda w: {},
    # monitoring
    ("POST", "/api/v1/monitoring/indicators"): lambda w: {
        "code": _code("IND"), "name": _bilingual("indicator"), "unit": "percent", "measure_type": "percent",
        "link": {"type": "project", "id": w.projects["MOF"]},
    },
    ("PUT", "/api/v1/monitoring/indicators/{indicator_id}"): lambda w: {
        "code": "IND-KEEP", "name": _bilingual("indicator"), "unit": "percent", "measure_type": "percent",
        "link": {"type": "project", "id": w.projects["MOF"]},
    },
    ("POST", "/api/v1/monitoring/indicators/{indicator_id}/actuals"):
        lambda w: {"fiscal_year": 2565, "quarter": 2, "value": "10"},
    ("POST", "/api/v1/monitoring/progress-reports"): lambda w: {
        "project_id": w.projects["MOF"], "fiscal_year": 2565, "quarter": 2, "percent_complete": "30.00",
    },
    # plan registry
    ("PUT", "/api/v1/frameworks/{code}"): _framework,
    ("POST", "/api/v1/plans"):
        lambda w: {"code": _code("PLAN"), "title": _bilingual("plan"), "start_fy": 2566, "end_fy": 2570},
    ("POST", "/api/v1/plans/import"):
        lambda w: {"format": "dgplan.plan.v1", "agencies": [], "plan": {}, "versions": []},
    ("PATCH", "/api/v1/plans/{plan_id}"):
        lambda w: {"title": {
            "th": "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565",
            "en": "Digital Government Development Plan of Thailand B.E. 2563-2565 (2020-2022)",
        }},
    ("POST", "/api/v1/plans/{plan_id}/versions"): lambda w: {},
    ("POST", "/api/v1/plans/{plan_id}/versions/{version_id}/submit"): lambda w: None,
    ("POST", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes"): lambda w: {
        "name": _bilingual("node"), "code": _code("N"), "node_type": "project", "parent_id": w.strategy_id,
    },
    ("PATCH", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"):
        lambda w: {"name": _bilingual("node renamed")},
    ("DELETE", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"): lambda w: None,
    ("POST", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}/roles"):
        lambda w: {"agency": "MOF", "role": "supporting"},
    ("POST", "/api/v1/projects"): lambda w: {
        "plan_id": w.plan_id, "parent_id": w.strategy_id, "code": _code("MOF"), "name": _bilingual("project"),
        "roles": [{"agency": "MOF", "role": "lead"}],
    },
    ("PATCH", "/api/v1/projects/{project_id}"): lambda w: {"name": _bilingual("project renamed")},
    ("POST", "/api/v1/agencies"): lambda w: {"code": _code("AG").upper(), "name": _bilingual("agency")},
    ("PATCH", "/api/v1/agencies/{code}"): lambda w: {"name": {"th": "กระทรวงการคลัง", "en": "Ministry of Finance"}},
    ("POST", "/api/v1/plans/{plan_id}/versions/{version_id}/observations"): lambda w: {
        "text": _bilingual("observation"), "raised_by_body": "nesdc",
    },
    ("POST", "/api/v1/observations/{observation_id}/responses"): lambda w: {"text": _bilingual("response")},
    ("POST", "/api/v1/observations/{observation_id}/resolution"): lambda w: {"decision": "accepted"},
    ("POST", "/api/v1/observations/{observation_id}/close"): lambda w: None,
}

# Where the current ETag of an operation's target is read (If-Match is sent with it).
ETAG_SOURCES: dict[tuple[str, str], str] = {
    ("PATCH", "/api/v1/admin/clients/{client_id}"): "/api/v1/admin/clients/{client_id}",
    ("PATCH", "/api/v1/governance/bodies/{code}"): "/api/v1/governance/bodies/{code}",
    ("PATCH", "/api/v1/governance/bodies/{code}/members/{subject}"): "/api/v1/governance/bodies/{code}/members/{subject}",
    ("POST", "/api/v1/screening/requests/{request_id}/revision"): "/api/v1/screening/requests/{request_id}",
    ("POST", "/api/v1/screening/rounds/{round_id}/close"): "/api/v1/screening/rounds/{round_id}",
    ("PUT", "/api/v1/monitoring/indicators/{indicator_id}"): "/api/v1/monitoring/indicators/{indicator_id}",
    ("PATCH", "/api/v1/plans/{plan_id}"): "/api/v1/plans/{plan_id}",
    ("PATCH", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"): "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}",
    ("DELETE", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"): "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}",
    ("PATCH", "/api/v1/projects/{project_id}"): "/api/v1/projects/{project_id}",
    ("PATCH", "/api/v1/agencies/{code}"): "/api/v1/agencies/{code}",
    ("PUT", "/api/v1/frameworks/{code}"): "/api/v1/frameworks/{code}",
    ("PATCH", "/api/v1/webhooks/endpoints/{endpoint_id}"): "/api/v1/webhooks/endpoints/{endpoint_id}",
    ("DELETE", "/api/v1/webhooks/endpoints/{endpoint_id}"): "/api/v1/webhooks/endpoints/{endpoint_id}",
}
