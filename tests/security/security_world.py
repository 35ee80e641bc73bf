"""Realistic data for the security tests, created through the gateway by the callers who own it:
a draft version of the seed plan, one project led by MOF and one led by OPDC, a screening round
with one request from each agency, one progress report from each agency, an indicator, and a
scratch node that may be deleted.

Every id the authorization matrix and the bad-input catalogue put in a path comes from here, so
the checks reach the services' ownership code instead of stopping at 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx


@dataclass
class World:
    plan_id: str = ""
    approved_version_id: str = ""
    draft_version_id: str = ""
    strategy_id: str = ""
    scratch_node_id: str = ""
    projects: dict[str, str] = field(default_factory=dict)  # agency -> project id
    round_id: str = ""
    requests: dict[str, str] = field(default_factory=dict)  # agency -> screening request id
    reports: dict[str, str] = field(default_factory=dict)  # agency -> progress report id
    indicator_id: str = ""
    observation_id: str = ""
    entry_id: str = ""
    instance_id: str = ""
    client_id: str = ""
    endpoint_id: str = ""  # MOF's webhook endpoint
    delivery_id: str = ""  # its test delivery (pending: the suite runs no delivery daemon)
    stage_body: str = ""
    fiscal_year: int = 2565


class Caller:
    """One role's HTTP session against the gateway."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=30)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code in (200, 201, 202), (path, response.status_code, response.text)
        return response.json()

    def get(self, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.http.get(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()


def _project(world: World, agency: str, code: str) -> dict[str, Any]:
    return {
        "plan_id": world.plan_id,
        "parent_id": world.strategy_id,
        "code": code,
        "name": {"th": f"โครงการทดสอบของ {agency}", "en": f"{agency} test project"},
        "roles": [{"agency": agency, "role": "lead"}],
        "start_fy": 2564,
        "end_fy": 2565,
        "budget_framework": "1000000.00",
    }


def build_world(suite: Any, callers: dict[str, Caller]) -> World:
    world = World()
    secretariat = callers["secretariat"]
    plan = secretariat.get("/api/v1/plans")["items"][0]
    world.plan_id = plan["id"]
    world.approved_version_id = plan["approved_version_id"]
    drafted = secretariat.request("POST", f"/api/v1/plans/{world.plan_id}/versions", json={},
                                  headers={"Idempotency-Key": uuid.uuid4().hex})
    # 409 draft-exists names the draft already open (the fuzzers may have opened one).
    draft = drafted.json()
    world.draft_version_id = draft["id"] if drafted.status_code == 201 else draft["draft_version_id"]
    nodes = secretariat.get(f"/api/v1/plans/{world.plan_id}/versions/{world.draft_version_id}/nodes",
                            params={"limit": 200})["items"]
    world.strategy_id = next(n["id"] for n in nodes if n["node_type"] == "strategy")
    scratch = secretariat.create("/api/v1/projects", _project(world, "DGA", f"SCRATCH-{uuid.uuid4().hex[:6]}") | {"roles": []})
    world.scratch_node_id = scratch["id"]
    for agency, role in (("MOF", "agency-MOF"), ("OPDC", "agency-OPDC")):
        world.projects[agency] = callers[role].create("/api/v1/projects", _project(world, agency, f"{agency}-{uuid.uuid4().hex[:6]}"))["id"]
    suite.settle()

    now = datetime.now(timezone.utc)
    round_ = secretariat.create("/api/v1/screening/rounds", {
        "plan_id": world.plan_id,
        "fiscal_year": world.fiscal_year,
        "ceiling": "50000000.00",
        "submission_deadline": (now + timedelta(days=30)).isoformat(),
        "decision_deadline": (now + timedelta(days=60)).isoformat(),
        "title": "รอบทดสอบ / test round",
    })
    world.round_id = round_["id"] if "id" in round_ else round_["round_id"]
    suite.settle()
    for agency, role in (("MOF", "agency-MOF"), ("OPDC", "agency-OPDC")):
        created = callers[role].create(f"/api/v1/screening/rounds/{world.round_id}/requests", {
            "project_id": world.projects[agency],
            "amounts": {"operating": "1000000.00"},
            "justification": f"ความจำเป็นของ {agency}",
        })
        world.requests[agency] = created["id"] if "id" in created else created["request_id"]
    indicator = secretariat.create("/api/v1/monitoring/indicators", {
        "code": f"IND-{uuid.uuid4().hex[:6]}",
        "name": {"th": "ตัวชี้วัดทดสอบ", "en": "Test indicator"},
        "unit": "percent",
        "measure_type": "percent",
        "link": {"type": "project", "id": world.projects["MOF"]},
    })
    world.indicator_id = indicator["id"] if "id" in indicator else indicator["indicator_id"]
    for agency, role in (("MOF", "agency-MOF"), ("OPDC", "agency-OPDC")):
        created = callers[role].create("/api/v1/monitoring/progress-reports", {
            "project_id": world.projects[agency],
            "fiscal_year": 2565,
            "quarter": 1,
            "percent_complete": "25.00",
        })
        world.reports[agency] = created["id"] if "id" in created else created["report_id"]
    world.observation_id = secretariat.get("/api/v1/observations")["items"][0]["id"]
    world.entry_id = secretariat.get("/api/v1/budget/entries")["items"][0]["entry_id"]
    world.client_id = callers["operator"].create("/api/v1/admin/clients", {
        "client_id": f"target-{uuid.uuid4().hex[:8]}", "name": "A client the tests may change", "roles": ["agency"],
        "agency": "MOF",
    })["client_id"]
    mof = callers["agency-MOF"]
    world.endpoint_id = mof.create("/api/v1/webhooks/endpoints", {
        "url": "https://hooks.example.org/dgplan", "description": "MOF's receiver", "event_types": ["*"],
    })["id"]
    mof.request("POST", f"/api/v1/webhooks/endpoints/{world.endpoint_id}/test",
                headers={"Idempotency-Key": uuid.uuid4().hex}).raise_for_status()
    world.delivery_id = mof.get(f"/api/v1/webhooks/endpoints/{world.endpoint_id}/deliveries")["items"][0]["id"]
    # Submitting the draft starts the plan-approval workflow: its first stage belongs to one body,
    # the one the matrix expects to be the only voter.
    submitted = secretariat.request("POST", f"/api/v1/plans/{world.plan_id}/versions/{world.draft_version_id}/submit")
    assert submitted.status_code == 200, submitted.text
    suite.settle()
    instances = secretariat.get("/api/v1/governance/instances")["items"]
    approval = next(i for i in instances if i.get("version_id") == world.draft_version_id)
    world.instance_id, world.stage_body = approval["id"], approval["body"]
    # A new draft (copying the submitted version, ids kept) so that writes reach the services'
    # validation and ownership checks instead of stopping at "version frozen".
    world.draft_version_id = secretariat.create(f"/api/v1/plans/{world.plan_id}/versions", {})["id"]
    suite.settle()
    return world
