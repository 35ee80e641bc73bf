from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from budget_ledger.definition import definition
from budget_ledger.events.types import PACKAGE_APPROVED, PLAN_STRUCTURE_PUBLISHED, PROJECT_REGISTERED
from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_contracts.identity import AGENCY, BODY_MEMBER, SECRETARIAT
from dgplan_shared.testing.service_fixtures import install_service_fixtures

install_service_fixtures(globals(), definition)

SUBCOMMITTEE = "operations-budget-subcommittee"

# The seed plan's strategies (million baht in the document; baht here).
SEED_STRATEGIES = [
    ("S1", 1, "ยกระดับคุณภาพการให้บริการประชาชนด้วยเทคโนโลยีดิจิทัล", "4879870000.00"),
    ("S2", 2, "อำนวยความสะดวกในการประกอบธุรกิจด้วยเทคโนโลยีดิจิทัล", "518460000.00"),
    ("S3", 3, "ขับเคลื่อนการบริหารจัดการข้อมูลภาครัฐในทุกกระบวนการทำงานของภาครัฐ", "946360000.00"),
    ("S4", 4, "สร้างกลไกให้ทุกภาคส่วนมีส่วนร่วมในการขับเคลื่อนรัฐบาลดิจิทัล", "160000000.00"),
]
_offsets = itertools.count()


def structure_data(plan_id: str = "plan-dgdp", amounts: list[str] | None = None, total: str = "6504690000.00") -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "plan_code": "DGDP-2563-2565",
        "version_id": "v1",
        "start_fy": 2563,
        "end_fy": 2565,
        "budget_framework": total,
        "declared": {"measures": 15, "work_plans": 20, "projects": 41},
        "targets": [],
        "strategies": [
            {
                "strategy_id": f"{plan_id}-{code}",
                "code": code,
                "number": number,
                "title": {"th": th, "en": code},
                "budget_framework": (amounts[i] if amounts else amount),
                "declared": {"measures": 1, "work_plans": 1, "projects": 1},
            }
            for i, (code, number, th, amount) in enumerate(SEED_STRATEGIES)
        ],
    }


def project_data(project_id: str, lead: str, strategy: str = "S1", plan_id: str = "plan-dgdp", **extra: Any) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "code": project_id.upper(),
        "plan_id": plan_id,
        "strategy_id": f"{plan_id}-{strategy}",
        "measure_id": "m1",
        "work_plan_id": None,
        "title": {"th": f"โครงการ {project_id}", "en": f"Project {project_id}"},
        "lead_agency": lead,
        "agencies": [{"agency": lead, "role": "lead"}],
        "start_fy": 2563,
        "end_fy": 2565,
        "status": "registered",
        "target_ids": [],
        **extra,
    }


def event_record(event_type: str, subject: str, data: dict[str, Any], source: str = "plan-registry") -> IncomingRecord:
    event = CloudEvent.new(source, event_type, subject, data)
    return IncomingRecord(topic_for(event_type), 0, next(_offsets), subject, event.to_json())


@pytest.fixture
def feed(runtime) -> Callable[..., Awaitable[str]]:  # type: ignore[no-untyped-def]
    """Deliver another service's event through the real inbox consumer path."""

    async def deliver(event_type: str, subject: str, data: dict[str, Any], source: str = "plan-registry") -> str:
        return await runtime.consumer().handle_record(event_record(event_type, subject, data, source))

    return deliver


@pytest.fixture
async def seeded(feed) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The seed plan's structure and a few registered projects with their lead agencies."""
    assert await feed(PLAN_STRUCTURE_PUBLISHED, "plan-dgdp", structure_data()) == "processed"
    projects = {
        "p-mof": ("MOF", "S1"),
        "p-opdc": ("OPDC", "S1"),
        "p-oae": ("OAE", "S1"),
        "p-depa": ("DEPA", "S2"),
        "p-mdes": ("MDES", "S3"),
        "p-onde": ("ONDE", "S4"),
    }
    for project_id, (lead, strategy) in projects.items():
        assert await feed(PROJECT_REGISTERED, project_id, project_data(project_id, lead, strategy)) == "processed"
    return {"plan_id": "plan-dgdp", "projects": projects}


@pytest.fixture
def who(identity):  # type: ignore[no-untyped-def]
    class Who:
        def secretariat(self) -> dict[str, str]:
            return identity(SECRETARIAT, subject="dga-officer", agency="DGA", bodies=["dga-secretariat"])

        def agency(self, code: str) -> dict[str, str]:
            return identity(AGENCY, agency=code, subject=f"system-{code.lower()}")

        def member(self, subject: str = "subcommittee-chair") -> dict[str, str]:
            """The subcommittee's chair: a member who also records the body's resolutions."""
            return identity(BODY_MEMBER, bodies=[SUBCOMMITTEE], offices=[SUBCOMMITTEE], subject=subject)

        def plain_member(self, subject: str = "subcommittee-member") -> dict[str, str]:
            return identity(BODY_MEMBER, bodies=[SUBCOMMITTEE], subject=subject)

        def outsider(self) -> dict[str, str]:
            return identity(BODY_MEMBER, bodies=["nesdc"], subject="nesdc-member")

    return Who()


# The meeting whose resolution a test's decision records (held in the past, as minutes are).
MEETING = {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 2/2564", "held_on": "2021-11-15", "resolution": "วาระที่ 3.1"}


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


@pytest.fixture
def h():  # type: ignore[no-untyped-def]
    """Test data builders (conftest is not importable under --import-mode=importlib)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        structure_data=structure_data, project_data=project_data, key=key, record=event_record, seed=SEED_STRATEGIES,
        meeting=MEETING,
    )


# The seed plan's FY 2565 round screened, approved, spent in part; FY 2564 open (the open-data and
# published-rounds tests read the same money).
S = "/api/v1/screening"


def _deadlines() -> dict[str, str]:
    now = datetime.now(timezone.utc)
    return {"submission_deadline": (now + timedelta(days=7)).isoformat(),
            "decision_deadline": (now + timedelta(days=14)).isoformat()}


class Budget:
    """The seed plan with two rounds: FY 2565 screened, approved, executed in part and published;
    FY 2564 still open with one request (not public)."""

    def __init__(self, client, who, h, feed) -> None:  # type: ignore[no-untyped-def]
        self.client, self.who, self.h, self.feed = client, who, h, feed
        self.rounds: dict[int, str] = {}

    async def post(self, url: str, body: dict[str, Any], headers: dict[str, str], key: str) -> dict[str, Any]:
        r = await self.client.post(url, json=body, headers={**headers, **self.h.key(key)})
        assert r.status_code in (200, 201), r.text
        return r.json()

    async def open_round(self, fiscal_year: int, ceiling: str) -> str:
        body = {"plan_id": "plan-dgdp", "fiscal_year": fiscal_year, "ceiling": ceiling,
                "title": f"ปีงบประมาณ {fiscal_year}", **_deadlines()}
        self.rounds[fiscal_year] = (await self.post(f"{S}/rounds", body, self.who.secretariat(), f"open-{fiscal_year}"))["round_id"]
        return self.rounds[fiscal_year]

    async def request(self, fiscal_year: int, project: str, agency: str, amounts: dict[str, str]) -> str:
        body = {"project_id": project, "amounts": amounts, "justification": f"เหตุผล {project}", "priority": 1}
        url = f"{S}/rounds/{self.rounds[fiscal_year]}/requests"
        return (await self.post(url, body, self.who.agency(agency), f"req-{fiscal_year}-{project}"))["request_id"]

    async def decide(self, request_id: str, decision: str, amounts: dict[str, str] | None = None) -> None:
        body = {"decision": decision, "reason": "มติที่ประชุม", "meeting": self.h.meeting,
                **({"recommended_amounts": amounts} if amounts else {})}
        await self.post(f"{S}/requests/{request_id}/decisions", body, self.who.member(), f"dec-{request_id}")

    async def approve(self, fiscal_year: int) -> None:
        round_id = self.rounds[fiscal_year]
        await self.post(f"{S}/rounds/{round_id}/package", {"note": "เสนอคณะกรรมการ"}, self.who.member(), f"pkg-{round_id}")
        approval = {"instance_id": f"i-{round_id}", "round_id": round_id, "fiscal_year": fiscal_year,
                    "body": "digital-government-committee", "decided_at": datetime.now(timezone.utc).isoformat(),
                    "reason": "อนุมัติ"}
        assert await self.feed(PACKAGE_APPROVED, round_id, approval, "gateway") == "processed"

    async def spend(self, project: str, agency: str, category: str, stage: str, amount: str) -> None:
        body = {"project_id": project, "fiscal_year": 2565, "expense_category": category, "stage": stage, "amount": amount}
        await self.post("/api/v1/budget/postings", body, self.who.agency(agency), f"{stage}-{project}-{category}")

    async def close(self, fiscal_year: int, publish: bool = True) -> None:
        round_id = self.rounds[fiscal_year]
        await self.post(f"{S}/rounds/{round_id}/close", {"publish_results": publish}, self.who.secretariat(), f"close-{round_id}")


@pytest.fixture
async def budget(client, who, h, feed, seeded) -> Budget:  # type: ignore[no-untyped-def]
    b = Budget(client, who, h, feed)
    await b.open_round(2565, "60000000.00")
    mof = await b.request(2565, "p-mof", "MOF", {"investment": "20000000.00", "operating": "5000000.25"})
    opdc = await b.request(2565, "p-opdc", "OPDC", {"operating": "8000000.00"})
    depa = await b.request(2565, "p-depa", "DEPA", {"investment": "12000000.00"})
    await b.decide(mof, "recommend-full")
    await b.decide(opdc, "recommend-reduced", {"operating": "6000000.00"})
    await b.decide(depa, "defer")
    await b.approve(2565)
    await b.spend("p-mof", "MOF", "investment", "committed", "15000000.00")
    await b.spend("p-mof", "MOF", "investment", "disbursed", "7250000.75")
    await b.open_round(2564, "10000000.00")
    await b.request(2564, "p-mdes", "MDES", {"subsidy": "3000000.00"})
    return b
