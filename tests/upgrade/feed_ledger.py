"""Run as a script by the rolling-upgrade test: deliver the registry's events that the budget
ledger needs (the seed plan's structure and a few projects) through the ledger's own inbox
consumer, with whichever code is on ``PYTHONPATH`` (the previous release's or this one's).

Usage: python feed_ledger.py <database url>
"""

from __future__ import annotations

import asyncio
import itertools
import sys

from budget_ledger.definition import definition
from budget_ledger.events.types import PLAN_STRUCTURE_PUBLISHED, PROJECT_REGISTERED
from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.service import build_runtime

PLAN = "plan-dgdp"
STRATEGIES = [("S1", "4879870000.00"), ("S2", "518460000.00"), ("S3", "946360000.00"), ("S4", "160000000.00")]
PROJECTS = {"p-mof": ("MOF", "S1"), "p-opdc": ("OPDC", "S1"), "p-depa": ("DEPA", "S2"), "p-mdes": ("MDES", "S3")}


def _structure() -> dict:  # type: ignore[type-arg]
    return {
        "plan_id": PLAN, "plan_code": "DGDP-2563-2565", "version_id": "v1", "start_fy": 2563, "end_fy": 2565,
        "budget_framework": "6504690000.00", "declared": {"measures": 15, "work_plans": 20, "projects": 41},
        "targets": [],
        "strategies": [{"strategy_id": f"{PLAN}-{code}", "code": code, "number": n + 1,
                        "title": {"th": f"ยุทธศาสตร์ที่ {n + 1}", "en": code}, "budget_framework": amount,
                        "declared": {"measures": 1, "work_plans": 1, "projects": 1}}
                       for n, (code, amount) in enumerate(STRATEGIES)],
    }


def _project(project_id: str, lead: str, strategy: str) -> dict:  # type: ignore[type-arg]
    return {"project_id": project_id, "code": project_id.upper(), "plan_id": PLAN, "strategy_id": f"{PLAN}-{strategy}",
            "measure_id": "m1", "work_plan_id": None, "title": {"th": f"โครงการ {project_id}", "en": project_id},
            "lead_agency": lead, "agencies": [{"agency": lead, "role": "lead"}], "start_fy": 2563, "end_fy": 2565,
            "status": "registered", "target_ids": []}


async def main(database_url: str) -> None:
    d = definition()
    runtime = build_runtime(d, d.settings_type(database_url=database_url, bus="memory"), bus=InMemoryBus())
    offsets = itertools.count()
    events = [(PLAN_STRUCTURE_PUBLISHED, PLAN, _structure())] + [
        (PROJECT_REGISTERED, pid, _project(pid, lead, strategy)) for pid, (lead, strategy) in PROJECTS.items()]
    try:
        for event_type, subject, data in events:
            event = CloudEvent.new("plan-registry", event_type, subject, data)
            outcome = await runtime.consumer().handle_record(
                IncomingRecord(topic_for(event_type), 0, next(offsets), subject, event.to_json()))
            assert outcome == "processed", (event_type, outcome)
    finally:
        await runtime.db.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
