"""The drill's bounded load through the gateway: the fault suite's workload to set the scene
(projects, budget requests, the committee's screening approval and the allocations it posts), then
steady writes to both owners the read models follow, each recorded with the moment it was
acknowledged, so the drill can tell which of them a dump holds.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from decimal import Decimal

from fault_workload import AGENCIES, POSTING_FY, Workload, draw_projects

STEADY_AMOUNT = Decimal("10.00")  # small: the allocations must hold every steady commitment


@dataclass(frozen=True)
class Write:
    owner: str  # the service whose database holds it
    kind: str  # "project" | "posting"
    id: str  # the registry's project id, the ledger's entry id
    acked_at: float  # wall clock, comparable with a dump's start
    amount: Decimal = Decimal("0.00")


@dataclass
class SteadyLoad:
    """Registrations into the open draft version and small commitments against allocations with room."""

    workload: Workload
    headroom: list[dict]  # appropriations (project_id, expense_category, agency) with room for every posting
    max_writes: int
    pace_seconds: float = 0.05
    writes: list[Write] = field(default_factory=list)
    started_at: float = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        self.started_at = time.time()
        lanes = [self._registrations(stop, lane) for lane in range(2)]
        lanes += [self._postings(stop, lane) for lane in range(2)]
        await asyncio.gather(*lanes)

    def _room_left(self, stop: asyncio.Event) -> bool:
        return not stop.is_set() and len(self.writes) < self.max_writes

    async def _registrations(self, stop: asyncio.Event, lane: int) -> None:
        w, n = self.workload, 0
        agencies = sorted(AGENCIES)
        while self._room_left(stop):
            lead = agencies[(lane + n) % len(agencies)]
            code = f"RD{w.run_tag}-{lane}{n:04d}"
            project = await w.client.post(f"register {code}", AGENCIES[lead], "/api/v1/projects", {
                "plan_id": w.exp.plan_id, "parent_id": w.measure_ids[n % len(w.measure_ids)], "code": code,
                "name": {"th": f"โครงการซ้อมกู้คืน {code}", "en": f"Restore drill project {code}"},
                "start_fy": 2564, "end_fy": 2565, "roles": [{"agency": lead, "role": "lead"}],
            })
            assert project is not None, w.client.stats.rejections[-1:]
            self.writes.append(Write("plan-registry", "project", project["id"], time.time()))
            n += 1
            await asyncio.sleep(self.pace_seconds)

    async def _postings(self, stop: asyncio.Event, lane: int) -> None:
        w, n = self.workload, 0
        while self._room_left(stop):
            target = self.headroom[(lane + 2 * n) % len(self.headroom)]
            reference = f"RD{w.run_tag}-commit-{lane}-{n:04d}"
            entry = await w.client.post(f"post {reference}", AGENCIES[target["agency"]], "/api/v1/budget/postings", {
                "project_id": target["project_id"], "fiscal_year": POSTING_FY,
                "expense_category": target["expense_category"], "stage": "committed",
                "amount": f"{STEADY_AMOUNT}", "reference": reference,
            })
            assert entry is not None, w.client.stats.rejections[-1:]
            self.writes.append(Write("budget-ledger", "posting", entry["entry_id"], time.time(), Decimal(entry["amount"])))
            n += 1
            await asyncio.sleep(self.pace_seconds)


async def prepare_scene(workload: Workload) -> None:
    """The fault workload's steps up to the spending, without the plan's approval: the draft version
    stays open for the steady registrations."""
    await workload._setup()
    projects = draw_projects(workload.rng, workload.project_count, workload.measure_ids, workload.run_tag)
    workload.planned_ops += sum(p.planned_ops for p in projects)
    await asyncio.gather(*(workload._project_pipeline(p) for p in projects))
    await workload._screening_approval()
    await asyncio.gather(*(workload._commit_and_disburse(p) for p in projects if p.approved))
