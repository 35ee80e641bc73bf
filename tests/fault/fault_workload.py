"""The seeded workload: mixed operations through the gateway, each recorded once acknowledged.

Every random choice is drawn from ``random.Random(seed)`` before any request is sent, so a seed
names the same operations in the same per-project order whatever the faults do to timing.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from fault_client import GatewayClient

PLAN_CODE = "DGDP-2563-2565"
SECRETARIAT = "demo-secretariat"
SUBCOMMITTEE_CHAIR = "demo-obs-chair"
AGENCIES = {"MOF": "demo-agency-mof", "OPDC": "demo-agency-opdc"}
CATEGORIES = ("personnel", "operating", "investment", "subsidy", "other")
ROUND_FY = 2565
# Allocations come from the approved round (the ledger allocates what the committee approves and
# refuses allocations above it); the workload then commits and disburses within them.
POSTING_FY = ROUND_FY
DECISIONS = ("recommend-full", "recommend-reduced", "recommend-reduced", "defer", "reject")
VOTING_STAGES = ("committee", "committee-approval")  # the bodies that vote; NESDC and the Cabinet decide as one
UNKNOWN_PROJECT = frozenset({(422, "unknown-project")})


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


@dataclass
class ProjectPlan:
    """What the workload will do with one project (drawn from the seed up front)."""

    index: int
    code: str
    lead: str
    measure_id: str
    request_amounts: dict[str, Decimal]
    decision: str
    reduce_to: Decimal  # fraction of the request recommended when reduced
    commit_share: Decimal  # of the approved amount of the request's first category
    disburse_shares: list[Decimal]  # each of what is committed and not yet disbursed
    quarters: list[tuple[int, int, Decimal]]  # (fiscal year, quarter, percent complete)
    later_quarters: list[tuple[int, int, Decimal]]  # reported only while faults are still due

    @property
    def approved(self) -> bool:
        return self.decision.startswith("recommend")

    @property
    def planned_ops(self) -> int:
        postings = 1 + len(self.disburse_shares) if self.approved else 0
        return 3 + postings + len(self.quarters)


@dataclass
class Expectations:
    """The acknowledged operations: what must be found, exactly once, at the end."""

    plan_id: str = ""
    draft_version_id: str = ""
    round_id: str = ""
    ceiling: Decimal = Decimal(0)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> project
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # request_id -> request
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)  # request_id -> decision
    postings: dict[str, dict[str, Any]] = field(default_factory=dict)  # reference -> entry
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)  # report_id -> report
    votes: list[dict[str, Any]] = field(default_factory=list)
    screening_instance_id: str = ""
    plan_instance_id: str = ""
    package_submitted: bool = False
    version_submitted: bool = False
    acknowledged: int = 0

    def ack(self) -> None:
        self.acknowledged += 1


def draw_projects(rng: random.Random, count: int, measure_ids: list[str], run_tag: str) -> list[ProjectPlan]:
    plans = []
    for i in range(count):
        amounts = {c: Decimal(rng.randint(5, 400)) * 10_000 for c in rng.sample(CATEGORIES, rng.randint(1, 2))}
        all_quarters = [(fy, q) for fy in (2564, 2565) for q in (1, 2, 3, 4)]
        quarters = sorted(rng.sample(all_quarters, rng.randint(3, 6)))
        later = [fq for fq in all_quarters if fq not in quarters]
        plans.append(ProjectPlan(
            index=i,
            code=f"FX{run_tag}-{i:04d}",
            lead=rng.choice(sorted(AGENCIES)),
            measure_id=rng.choice(measure_ids),
            request_amounts=amounts,
            decision=rng.choice(DECISIONS),
            reduce_to=Decimal(rng.randint(40, 95)) / 100,
            commit_share=Decimal(rng.randint(30, 100)) / 100,
            disburse_shares=[Decimal(rng.randint(10, 90)) / 100 for _ in range(rng.randint(1, 2))],
            quarters=[(fy, q, Decimal(rng.randint(0, 10000)) / 100) for fy, q in quarters],
            later_quarters=[(fy, q, Decimal(rng.randint(0, 10000)) / 100) for fy, q in later],
        ))
    return plans


class Workload:
    def __init__(self, client: GatewayClient, seed: int, project_count: int, concurrency: int = 32) -> None:
        self.client = client
        self.rng = random.Random(seed)
        self.run_tag = f"{seed % 10_000:04d}"
        self.project_count = project_count
        self.concurrency = concurrency
        self.exp = Expectations()
        self.planned_ops = 0
        self.recommended: dict[str, dict[str, Decimal]] = {}  # project code -> category -> baht
        self.started = time.monotonic()
        self.phases: list[tuple[str, float]] = []  # (phase, seconds since start) for the report

    def phase(self, name: str) -> None:
        self.phases.append((name, round(time.monotonic() - self.started, 1)))

    async def run(self, keep_busy_until: asyncio.Event | None = None, min_ops: int = 0) -> Expectations:
        """The operations, then further progress reports until ``keep_busy_until`` is set (so that
        every fault meets load) and at least ``min_ops`` operations were acknowledged."""
        await self._setup()
        projects = draw_projects(self.rng, self.project_count, self.measure_ids, self.run_tag)
        self.planned_ops += sum(p.planned_ops for p in projects)
        gate = asyncio.Semaphore(self.concurrency)

        async def pipeline(p: ProjectPlan) -> None:
            async with gate:
                await self._project_pipeline(p)

        self.phase("setup done")
        await asyncio.gather(*(pipeline(p) for p in projects))
        self.phase("projects done")
        await self._screening_approval()
        self.phase("screening approved")

        async def spending(p: ProjectPlan) -> None:
            async with gate:
                await self._commit_and_disburse(p)

        await asyncio.gather(self._plan_approval(), *(spending(p) for p in projects if p.approved))
        self.phase("plan approved, money spent")
        if keep_busy_until is not None:
            await self._keep_busy(projects, keep_busy_until, min_ops)
            self.phase("kept busy until every fault was injected")
        return self.exp

    async def _keep_busy(self, projects: list[ProjectPlan], until: asyncio.Event, min_ops: int) -> None:
        later = [(p, fy, q, pct) for p in projects for fy, q, pct in p.later_quarters]
        self.rng.shuffle(later)

        async def reporter(lane: int) -> None:
            for p, fy, quarter, percent in later[lane::4]:
                if until.is_set() and self.exp.acknowledged >= min_ops:
                    return
                self.planned_ops += 1
                await self._report(p, fy, quarter, percent)
                await asyncio.sleep(0.5)  # paced: the reports should last while faults are due
            # Nothing left to write: reads keep every service busy until the last fault.
            while not until.is_set():
                await self.client.get(SECRETARIAT, f"/api/v1/screening/rounds/{self.exp.round_id}/status")
                await self.client.get(SECRETARIAT, "/api/v1/monitoring/progress-reports", limit=20)
                await asyncio.sleep(0.2)

        await asyncio.gather(*(reporter(lane) for lane in range(4)))

    async def _report(self, p: ProjectPlan, fy: int, quarter: int, percent: Decimal) -> None:
        project = self.exp.projects.get(p.code)
        if project is None:
            return
        report = await self.client.post(
            f"report {p.code} {fy}Q{quarter}", AGENCIES[p.lead], "/api/v1/monitoring/progress-reports", {
                "project_id": project["project_id"], "fiscal_year": fy, "quarter": quarter,
                "percent_complete": money(percent),
                "narrative": {"th": f"ความคืบหน้า ไตรมาส {quarter}", "en": f"Progress Q{quarter}"},
            }, not_yet=UNKNOWN_PROJECT)
        if report is not None:
            self.exp.ack()
            self.exp.reports[report["report_id"]] = {"project_id": project["project_id"], "fiscal_year": fy,
                                                     "quarter": quarter}

    # ------------------------------------------------------------------ setup

    async def _setup(self) -> None:
        c, exp = self.client, self.exp
        plans = (await c.get(SECRETARIAT, "/api/v1/plans")).json()["items"]
        exp.plan_id = next(p["id"] for p in plans if p["code"] == PLAN_CODE)
        version = await c.post("create draft version", SECRETARIAT, f"/api/v1/plans/{exp.plan_id}/versions", {})
        assert version is not None, c.stats.rejections
        exp.ack()
        exp.draft_version_id = version["id"]
        nodes = (await c.get(SECRETARIAT, f"/api/v1/plans/{exp.plan_id}/versions/{exp.draft_version_id}/nodes",
                             limit=200)).json()["items"]
        self.measure_ids = sorted(n["id"] for n in nodes if n["node_type"] == "measure")
        assert self.measure_ids, nodes
        now = datetime.now(timezone.utc)
        exp.ceiling = Decimal(self.project_count) * Decimal(8_000_000)
        body = {"plan_id": exp.plan_id, "fiscal_year": ROUND_FY, "ceiling": money(exp.ceiling),
                "submission_deadline": (now + timedelta(hours=2)).isoformat(),
                "decision_deadline": (now + timedelta(hours=4)).isoformat(), "title": f"fault run {self.run_tag}"}
        opened = await c.post("open round", SECRETARIAT, "/api/v1/screening/rounds", body,
                              not_yet=frozenset({(422, "validation-error")}))
        assert opened is not None, c.stats.rejections
        exp.ack()
        exp.round_id = opened["round_id"]
        self.planned_ops += 2

    # ------------------------------------------------------------------ per project

    async def _project_pipeline(self, p: ProjectPlan) -> None:
        c, exp = self.client, self.exp
        agency_client = AGENCIES[p.lead]
        project = await c.post(f"register {p.code}", agency_client, "/api/v1/projects", {
            "plan_id": exp.plan_id, "parent_id": p.measure_id, "code": p.code,
            "name": {"th": f"โครงการทดสอบความทนทาน {p.index}", "en": f"Fault-tolerance project {p.index}"},
            "start_fy": 2564, "end_fy": 2565, "roles": [{"agency": p.lead, "role": "lead"}],
        })
        if project is None:
            return
        exp.ack()
        project_id = project["id"]
        exp.projects[p.code] = {"project_id": project_id, "lead": p.lead}

        request = await c.post(f"request {p.code}", agency_client, f"/api/v1/screening/rounds/{exp.round_id}/requests", {
            "project_id": project_id, "amounts": {k: money(v) for k, v in p.request_amounts.items()},
            "justification": f"คำของบประมาณ {p.code}", "priority": p.index % 100 + 1,
        }, not_yet=UNKNOWN_PROJECT)
        if request is not None:
            exp.ack()
            exp.requests[request["request_id"]] = {"project_id": project_id, "requested_total": Decimal(request["requested_total"])}
            decision_body: dict[str, Any] = {"decision": p.decision, "reason": f"เหตุผล {p.decision}", "rank": p.index + 1,
                                             "meeting": {"title": "ครั้งที่ 1/2564", "held_on": "2021-11-15"}}
            if p.decision == "recommend-reduced":
                decision_body["recommended_amounts"] = {
                    k: money(v * p.reduce_to) for k, v in p.request_amounts.items()}
            decided = await c.post(f"decide {p.code}", SUBCOMMITTEE_CHAIR,
                                   f"/api/v1/screening/requests/{request['request_id']}/decisions", decision_body)
            if decided is not None:
                exp.ack()
                exp.decisions[request["request_id"]] = {"decision": p.decision,
                                                        "recommended_total": Decimal(decided["recommended_total"])}
                recommended = decided.get("recommended_amounts") or (
                    p.request_amounts if p.decision == "recommend-full" else {})
                self.recommended[p.code] = {k: Decimal(v) for k, v in recommended.items()}

        for fy, quarter, percent in p.quarters:
            await self._report(p, fy, quarter, percent)

    async def _commit_and_disburse(self, p: ProjectPlan) -> None:
        """Within the allocation the approval posted: commit a share, disburse shares of that."""
        c, exp = self.client, self.exp
        project = exp.projects.get(p.code)
        amounts = self.recommended.get(p.code)
        if not project or not amounts:
            return
        category = sorted(amounts)[0]
        committed = (amounts[category] * p.commit_share).quantize(Decimal("0.01"))
        postings = [("committed", committed)]
        left = committed
        for share in p.disburse_shares:
            part = (left * share).quantize(Decimal("0.01"))
            postings.append(("disbursed", part))
            left -= part
        agency_client = AGENCIES[p.lead]
        for n, (stage, amount) in enumerate(postings):
            reference = f"{p.code}-{stage}-{n}"
            entry = await c.post(f"post {reference}", agency_client, "/api/v1/budget/postings", {
                "project_id": project["project_id"], "fiscal_year": POSTING_FY, "expense_category": category,
                "stage": stage, "amount": money(amount), "reference": reference,
            })
            if entry is None:
                return  # a later stage would only be refused by the ledger's invariants
            exp.ack()
            exp.postings[reference] = {"entry_id": entry["entry_id"], "project_id": project["project_id"],
                                       "stage": stage, "amount": Decimal(entry["amount"])}

    # ------------------------------------------------------------------ governance

    async def _instance(self, **query: str) -> dict[str, Any]:
        while True:
            items = (await self.client.get(SECRETARIAT, "/api/v1/governance/instances", **query)).json()["items"]
            if items:
                assert len(items) == 1, items
                return items[0]
            self.client._check_deadline(f"instance {query}")
            await asyncio.sleep(0.3)

    async def _vote(self, instance_id: str, voter: str, stage: str, choice: str) -> None:
        """Vote (or, at a stage one member decides, record the decision) once the instance is at
        ``stage``: the events that move it there may still be on their way."""
        while True:
            instance = (await self.client.get(SECRETARIAT, f"/api/v1/governance/instances/{instance_id}")).json()
            current = instance.get("stage") or instance.get("instance", {}).get("stage")
            if current == stage:
                break
            self.client._check_deadline(f"{instance_id} reaching {stage} (at {current})")
            await asyncio.sleep(0.3)
        self.planned_ops += 1
        kind = "votes" if stage in VOTING_STAGES else "decisions"
        body = {"choice" if kind == "votes" else "decision": choice, "reason": f"{choice}: มติที่ประชุม"}
        if kind == "votes":
            body["stage"] = stage
        result = await self.client.post(f"{kind} {stage} {voter}", voter,
                                        f"/api/v1/governance/instances/{instance_id}/{kind}", body)
        if result is not None:
            self.exp.ack()
            self.exp.votes.append({"instance_id": instance_id, "voter": voter, "stage": stage, "choice": choice,
                                   "kind": kind})

    async def _screening_approval(self) -> None:
        exp = self.exp
        self.planned_ops += 1
        package = await self.client.post("submit package", SUBCOMMITTEE_CHAIR,
                                         f"/api/v1/screening/rounds/{exp.round_id}/package", {"note": "ชุดคำขอ"})
        if package is None:
            return
        exp.ack()
        exp.package_submitted = True
        instance = await self._instance(round_id=exp.round_id)
        exp.screening_instance_id = instance["id"]
        for voter in ("demo-dgc-chair", "demo-dgc-member-1"):
            await self._vote(instance["id"], voter, "committee-approval", "approve")
        # The ledger learns of the approval by event, then allocates what was approved.
        while (await self.client.get(SECRETARIAT, f"/api/v1/screening/rounds/{exp.round_id}")).json()["status"] != "approved":
            self.client._check_deadline("the round's approval reaching the ledger")
            await asyncio.sleep(0.3)

    async def _plan_approval(self) -> None:
        exp = self.exp
        self.planned_ops += 1
        submitted = await self.client.post("submit version", SECRETARIAT,
                                           f"/api/v1/plans/{exp.plan_id}/versions/{exp.draft_version_id}/submit", {})
        if submitted is None:
            return
        exp.ack()
        exp.version_submitted = True
        instance = await self._instance(version_id=exp.draft_version_id, workflow="plan-approval")
        exp.plan_instance_id = instance["id"]
        for voter in ("demo-dgc-chair", "demo-dgc-member-1"):
            await self._vote(instance["id"], voter, "committee", "propose")
        await self._vote(instance["id"], "demo-nesdc", "nesdc", "endorse")
        await self._vote(instance["id"], "demo-cabinet", "cabinet", "approve_in_principle")
