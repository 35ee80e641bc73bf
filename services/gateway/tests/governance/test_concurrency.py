"""Two final votes at the same moment, on a real connection pool: one transition, one refusal."""

import asyncio

from sqlalchemy import func, select

from dgplan_contracts.identity import BODY_MEMBER, Principal
from dgplan_shared.commands import execute
from dgplan_shared.problems import ProblemError
from dgplan_shared.service import build_runtime
from gateway.governance.adapters.tables import gov_instances, gov_timeline
from gateway.definition import definition
from gateway.governance.application.cast_vote import CastVote, handle as cast_vote
from gateway.governance.events import types as ev
from gateway.governance.application.seed import seed_governance
from gateway.settings import Settings

from .conftest import deliver_event, published

COMMITTEE = "digital-government-committee"


def member(subject):
    return Principal(subject, frozenset({BODY_MEMBER}), bodies=frozenset({COMMITTEE}))


async def _vote(runtime, instance_id, subject, key):
    try:
        answer = await execute(
            runtime.uow, cast_vote, CastVote(member(subject), instance_id, "propose", "ready", stage="committee"),
            status=201,
        )
        return answer.status
    except ProblemError as exc:
        return exc.status


async def test_two_concurrent_final_votes_make_one_transition(fresh_database_url):
    runtime = build_runtime(definition(), Settings(database_url=await fresh_database_url(), bus="memory"))
    try:
        await seed_governance(runtime)
        rounds = 4
        for n in range(rounds):
            plan = f"plan-{n}"
            await deliver_event(runtime, ev.PLAN_SUBMITTED, plan, {"plan_id": plan, "version_id": f"v-{n}", "number": 1,
                                                                  "revision_of_version_id": None, "submitted_by": "s"})
        async with runtime.db.session() as session:
            ids = list((await session.execute(select(gov_instances.c.id))).scalars())
        for iid in ids:
            assert await _vote(runtime, iid, "demo-dgc-member-1", f"{iid}-1") == 201
            # Either of these completes the majority: exactly one of them may move the stage.
            outcomes = await asyncio.gather(
                _vote(runtime, iid, "demo-dgc-member-2", f"{iid}-2"), _vote(runtime, iid, "demo-dgc-chair", f"{iid}-3")
            )
            assert sorted(outcomes) == [201, 409]
        decided = await published(runtime, ev.STAGE_DECIDED)
        assert sorted(e["data"]["instance_id"] for e in decided) == sorted(ids)
        async with runtime.db.session() as session:
            outcomes = await session.scalar(
                select(func.count()).select_from(gov_timeline).where(gov_timeline.c.kind == "decided")
            )
        assert outcomes == rounds
    finally:
        await runtime.db.dispose()
