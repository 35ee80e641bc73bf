"""Property: long random sequences of postings, decisions and approvals never break an invariant,
and every balance always equals the sum of its entries (the totals reconcile).

Runs the real use cases on a migrated SQLite database, each example in its own namespace of ids.
Hypothesis drives synchronous code, so each example runs its own event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from budget_ledger.adapters.tables import appropriations, ledger_entries, screening_requests, screening_rounds, screening_tallies
from budget_ledger.domain.screening import Decision, Meeting
from budget_ledger.domain.stages import STAGES, InvariantViolation, check_balances
from budget_ledger.adapters.tables import outbox
from budget_ledger.application import open_round, post_entries, record_decision, submit_package, submit_request
from budget_ledger.application.approve_round import ApprovalRefused, ApproveRound, approve_round
from budget_ledger.application.frameworks import ApplyStructure, ImportFrameworks, apply_structure, import_frameworks
from budget_ledger.application.post_entries import EntryCommand, PostEntries
from budget_ledger.application.project_snapshot import RecordProject, record_project
from budget_ledger.application.reconciliation import Reconcile
from budget_ledger.application.reconciliation import handle as reconcile_handle
from budget_ledger.application.record_decision import RecordDecision
from budget_ledger.application.submit_package import SubmitPackage
from budget_ledger.application.submit_request import SubmitRequest
from budget_ledger.domain.frameworks import PlanFramework, StrategyFramework
from budget_ledger.domain.postings import AppropriationKey
from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import AGENCY, SECRETARIAT, Principal
from dgplan_shared.problems import ProblemError

MEETING = Meeting("ครั้งที่ 1/2564", date(2021, 11, 15))

AGENCIES = ("MOF", "OPDC", "DEPA")
CATEGORIES = ("operating", "investment")
SECRETARIAT_P = Principal("sec", frozenset({SECRETARIAT}))

satang = st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100)
submit_op = st.tuples(st.just("submit"), st.integers(0, 2), st.dictionaries(st.sampled_from(CATEGORIES), satang, min_size=1))
post_op = st.tuples(st.just("post"), st.sampled_from(["allocated", "committed", "disbursed"]), st.integers(0, 2),
                    st.sampled_from(CATEGORIES), satang)
ops = st.one_of(
    submit_op,
    st.tuples(st.just("decide"), st.integers(0, 2), st.sampled_from([d.value for d in Decision]), st.integers(1, 100)),
    st.tuples(st.just("screen_all"), st.integers(1, 100)),
    st.tuples(st.just("package")),
    st.tuples(st.just("approve"), st.booleans()),
    post_op,
    st.tuples(st.just("reframe"), st.lists(satang, min_size=2, max_size=2), st.booleans(), st.booleans()),
)


# Random operations around the skeleton of a round, so that long sequences reach approval and then
# keep allocating, committing and disbursing (random noise alone rarely gets that far).
scenarios = st.tuples(
    st.lists(ops, max_size=6),
    st.lists(submit_op, min_size=1, max_size=3),
    st.lists(ops, max_size=6),
    st.tuples(st.just("screen_all"), st.integers(1, 100)),
    st.lists(ops, max_size=4),
    st.just([("package",)]),
    st.tuples(st.just("approve"), st.booleans()),
    st.lists(st.one_of(post_op, ops), min_size=3, max_size=20),
).map(lambda parts: [op for part in parts for op in (part if isinstance(part, list) else [part])])


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('prop') / 'ledger.db'}"
    upgrade("budget_ledger:migrations", url)
    return url


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.ns = uuid.uuid4().hex[:8]
        self.plan = f"plan-{self.ns}"
        self.projects = [f"{self.ns}-p{i}" for i in range(3)]
        self.requests: dict[int, str] = {}
        self.round_id = ""
        self.ceiling = Decimal(0)
        self.framework_balanced = True

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, "budget-ledger", outbox)

    async def run(self, action) -> bool:  # type: ignore[no-untyped-def]
        """True if committed; False if refused (and then nothing may have changed)."""
        before = await self.entry_count()
        try:
            async with self.uow() as uow:
                await action(uow)
                await uow.commit()
            return True
        except (ProblemError, InvariantViolation, ApprovalRefused):
            assert await self.entry_count() == before, "a refused operation left entries behind"
            return False

    async def entry_count(self) -> int:
        async with self.db.session() as s:
            return await s.scalar(select(func.count()).select_from(ledger_entries).where(ledger_entries.c.plan_id == self.plan))

    async def setup(self, ceiling: Decimal) -> None:
        self.ceiling = ceiling

        async def act(uow: UnitOfWork) -> None:
            await apply_structure(ApplyStructure(self.framework([Decimal("100.00"), Decimal("50.00")], True), "t", None), uow)
            for i, project in enumerate(self.projects):
                await record_project(RecordProject({"project_id": project, "plan_id": self.plan, "strategy_id": f"{self.plan}-s{i % 2}",
                                                    "lead_agency": AGENCIES[i], "start_fy": 2563, "end_fy": 2565}), uow)
            now = utcnow()
            rnd = await open_round.handle(open_round.OpenRound(self.plan, 2565, ceiling, now + timedelta(days=1), now + timedelta(days=2),
                                                               opened_by="sec"), uow)
            self.round_id = rnd["round_id"]

        assert await self.run(act)

    def framework(self, amounts: list[Decimal], balanced: bool) -> PlanFramework:
        total = sum(amounts) if balanced else sum(amounts) + Decimal("0.01")
        return PlanFramework(self.plan, total, [StrategyFramework(f"{self.plan}-s{i}", a) for i, a in enumerate(amounts)],
                             start_fy=2563, end_fy=2565)

    async def apply(self, op: tuple) -> None:  # type: ignore[type-arg]
        kind = op[0]
        if kind == "submit":
            _, i, amounts = op
            agency = Principal(f"sys-{AGENCIES[i]}", frozenset({AGENCY}), agency=AGENCIES[i])
            command = SubmitRequest(self.round_id, self.projects[i], amounts, "เหตุผล", principal=agency)

            async def act(uow):  # type: ignore[no-untyped-def]
                self.requests[i] = (await submit_request.handle(command, uow))["request_id"]

            await self.run(act)
        elif kind == "decide":
            _, i, decision, percent = op
            if i not in self.requests:
                return
            async with self.db.session() as s:
                amounts = (await s.execute(select(screening_requests.c.amounts).where(
                    screening_requests.c.request_id == self.requests[i]))).scalar_one()
            import orjson

            requested = {k: Decimal(v) for k, v in orjson.loads(amounts).items()}
            reduced = {k: (v * percent / 100).quantize(Decimal("0.01")) for k, v in requested.items()}
            command = RecordDecision(self.requests[i], Decision(decision), "เหตุผล", MEETING, rank=i + 1,
                                     recommended_amounts=reduced if decision == "recommend-reduced" else None, decided_by="member")
            await self.run(lambda uow: record_decision.handle(command, uow))
        elif kind == "package":
            await self.run(lambda uow: submit_package.handle(SubmitPackage(self.round_id, "member"), uow))
        elif kind == "screen_all":
            async with self.db.session() as s:
                undecided = set((await s.execute(select(screening_requests.c.request_id).where(
                    screening_requests.c.round_id == self.round_id, screening_requests.c.decision.is_(None)))).scalars())
            for i, request_id in self.requests.items():
                if request_id in undecided:
                    await self.apply(("decide", i, "recommend-reduced" if op[1] < 100 else "recommend-full", op[1]))
        elif kind == "approve":
            if await self.run(lambda uow: approve_round(ApproveRound(self.round_id, "committee", auto_allocate=op[1]), uow)):
                event("a package was approved")
        elif kind == "post":
            _, stage, i, category, amount = op
            principal = SECRETARIAT_P if stage == "allocated" else Principal("a", frozenset({AGENCY}), agency=AGENCIES[i])
            expected = await self.posting_allowed(stage, i, category, amount)
            async def act(uow):  # type: ignore[no-untyped-def]
                posted = await post_entries.handle(PostEntries((EntryCommand(self.projects[i], 2565, category, stage, amount),), principal), uow)
                await posted.finish()

            done = await self.run(act)
            assert done == expected, f"{stage} {amount} on {i}/{category}: model says {expected}"
            if done:
                event(f"{stage} posted")
        elif kind == "reframe":
            _, amounts, balanced, via_import = op
            framework = self.framework(amounts, balanced)
            if via_import:  # a person imports: figures that do not add up are refused
                done = await self.run(lambda uow: import_frameworks(ImportFrameworks(framework, "sec"), uow))
                assert done == balanced
                self.framework_balanced = self.framework_balanced if not done else True
            else:  # the registry's plan of record is recorded, and flagged when unbalanced
                assert await self.run(lambda uow: apply_structure(ApplyStructure(framework, "t", None), uow))
                self.framework_balanced = balanced
            async with self.uow() as uow:
                report = await reconcile_handle(Reconcile(self.plan), uow)
            assert report["balanced"] is self.framework_balanced

    async def balances(self, i: int, category: str) -> dict[str, Decimal]:
        key = AppropriationKey(self.plan, f"{self.plan}-s{i % 2}", self.projects[i], 2565, category)
        async with self.db.session() as s:
            row = (await s.execute(select(appropriations).where(
                appropriations.c.plan_id == key.plan_id, appropriations.c.project_id == key.project_id,
                appropriations.c.expense_category == category))).mappings().first()
        return {stage: (row[stage] if row else Decimal(0)) for stage in STAGES}

    async def posting_allowed(self, stage: str, i: int, category: str, amount: Decimal) -> bool:
        b = await self.balances(i, category)
        b[stage] += amount
        try:
            check_balances(b)
            return True
        except InvariantViolation:
            return False

    async def check_invariants(self) -> None:
        async with self.db.session() as s:
            rows = (await s.execute(select(appropriations).where(appropriations.c.plan_id == self.plan))).mappings().all()
            sums = defaultdict(Decimal)
            for appropriation_id, stage, amount in (await s.execute(
                select(ledger_entries.c.appropriation_id, ledger_entries.c.stage, func.sum(ledger_entries.c.amount))
                .where(ledger_entries.c.plan_id == self.plan).group_by(ledger_entries.c.appropriation_id, ledger_entries.c.stage)
            )).all():
                sums[(appropriation_id, stage)] = amount
            for row in rows:
                check_balances({stage: row[stage] for stage in STAGES})
                for stage in STAGES:
                    assert row[stage] == sums[(row["id"], stage)], f"balance {stage} differs from its entries"
            rnd = (await s.execute(select(screening_rounds).where(screening_rounds.c.round_id == self.round_id))).mappings().one()
            approved = sum((row["approved"] for row in rows), Decimal(0))
            assert approved <= rnd["ceiling"]
            assert rnd["approved_total"] == approved
            requests = (await s.execute(select(screening_requests).where(screening_requests.c.round_id == self.round_id))).mappings().all()
            assert sum((q["requested_total"] for q in requests), Decimal(0)) == sum(
                (row["requested"] for row in rows), Decimal(0))
            assert sum((q["recommended_total"] for q in requests), Decimal(0)) == sum(
                (row["recommended"] for row in rows), Decimal(0))
            # the status API's running totals equal a recount of the requests
            tallies = {(t["strategy_id"], t["agency"], t["decision"]): (t["request_count"], t["requested"], t["recommended"], t["approved"])
                       for t in (await s.execute(select(screening_tallies).where(screening_tallies.c.round_id == self.round_id))).mappings()}
            recount = defaultdict(lambda: (0, Decimal(0), Decimal(0), Decimal(0)))
            for q in requests:
                k = (q["strategy_id"], q["agency"], q["decision"] or "unscreened")
                c, a, b, d = recount[k]
                recount[k] = (c + 1, a + q["requested_total"], b + q["recommended_total"], d + q["approved_total"])
            assert {k: v for k, v in tallies.items() if v != (0, 0, 0, 0)} == dict(recount)
            plan_total = next(r["framework"] for r in rows if r["strategy_id"] == "")
            strategies_total = sum((r["framework"] for r in rows if r["strategy_id"] and r["project_id"] == ""), Decimal(0))
            assert (plan_total == strategies_total) is self.framework_balanced
        async with self.uow() as uow:
            report = await reconcile_handle(Reconcile(self.plan), uow)
        assert Decimal(report["difference"]) == plan_total - strategies_total


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink], suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ceiling=satang, operations=scenarios)
def test_random_sequences_never_break_an_invariant(ledger_url, ceiling, operations):
    async def scenario() -> None:
        db = Database.from_url(ledger_url)
        try:
            world = World(db)
            await world.setup(ceiling * 20)
            for op in operations:
                await world.apply(op)
                await world.check_invariants()
        finally:
            await db.dispose()

    asyncio.run(scenario())
