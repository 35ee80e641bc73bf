"""``/api/v1/governance``: inbox, instances, histories, votes and decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.etags import content_etag
from dgplan_shared.web.pagination import Cursor, Limit
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from gateway.governance.api.deps import Caller, Ident, IdempotencyKey, RuntimeDep, authenticated, request_digest
from gateway.governance.api.schemas import DecisionIn, VoteIn
from gateway.governance.api.views import instance_view, timeline_view, vote_view
from gateway.governance.application import cast_vote, queries, record_decision
from gateway.governance.application.queries import Rows

router = APIRouter(
    prefix="/api/v1/governance", tags=["governance"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_bad_text_in_url)],
)

# The refusal rule of gateway.governance.domain.authority, as the OpenAPI document states it.
STAGE_RULE = (
    "Refusals a client can rely on: **403** means *you never may* — the caller is an active member of "
    "no body that takes this action at any stage of the instance's workflow, or lacks the role for it "
    "(only the chair or the secretary records a voting body's resolution); asking again will not help. "
    "**409** `illegal-transition` means *not now* — the caller acts at some stage of this workflow, but "
    "the instance is at another body's stage, in revision, completed or moved on from the `stage` sent, "
    "or the decision is not one the current stage offers; the problem names `current_stage`."
)
STAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {**PROBLEM_RESPONSES[403],
          "description": "You never may: no body of yours takes this action in this workflow"},
    409: {**PROBLEM_RESPONSES[409],
          "description": "Not now: the instance is not at a stage of yours (illegal-transition)"},
}


def _page(rows: Rows, view: Any) -> dict[str, Any]:
    return {"items": [view(r) for r in rows.items], "next_cursor": rows.next_cursor}


def _inbox_view(item: queries.InboxItem) -> dict[str, Any]:
    return {**instance_view(item.instance), "mode": item.mode, "decisions": item.decisions,
            "my_vote_cast": item.my_vote_cast}


@router.get("/inbox", summary="What waits for the caller's bodies, soonest deadline first")
async def inbox(principal: Caller, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        return _page(await queries.inbox(session, principal, limit, cursor), _inbox_view)


@router.get("/instances", summary="Workflow instances, oldest first; filter by plan, version, round, workflow, status")
async def list_instances(
    principal: Caller,
    runtime: RuntimeDep,
    plan_id: Ident = None,
    version_id: Ident = None,
    round_id: Ident = None,
    workflow: Ident = None,
    status: Annotated[str | None, Query(pattern="^(active|completed)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict:
    authenticated(principal)
    filters = {"plan_id": plan_id, "version_id": version_id, "round_id": round_id, "workflow_key": workflow,
               "status": status}
    async with runtime.db.session() as session:
        return _page(await queries.instances(session, filters, limit, cursor), instance_view)


@router.get("/instances/{instance_id}", summary="One instance with the votes cast at its current stage (ETag)")
async def get_instance(instance_id: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        instance, votes = await queries.instance_with_votes(session, instance_id)
    view = {**instance_view(instance), "votes": [vote_view(v) for v in votes]}
    # The tag covers the whole representation: a new vote changes it even though the stage stays.
    response.headers["ETag"] = content_etag(view)
    return view


@router.get("/instances/{instance_id}/history", summary="Everything that happened to one instance, in order")
async def instance_history(
    instance_id: str, principal: Caller, runtime: RuntimeDep, limit: Limit = 100, cursor: Cursor = None
) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        await queries.instance_with_votes(session, instance_id)  # 404 for an unknown instance
        return _page(await queries.history(session, {"instance_id": instance_id}, limit, cursor), timeline_view)


@router.get("/history", summary="History of a plan (version) or a screening round across its instances")
async def history(
    principal: Caller,
    runtime: RuntimeDep,
    plan_id: Ident = None,
    version_id: Ident = None,
    round_id: Ident = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> dict:
    authenticated(principal)
    filters = {"plan_id": plan_id, "version_id": version_id, "round_id": round_id}
    async with runtime.db.session() as session:
        return _page(await queries.history(session, filters, limit, cursor), timeline_view)


def _vote_answer(result: cast_vote.VoteCast) -> dict[str, Any]:
    return {
        "vote": {"voter": result.voter, "choice": result.choice, "reason": result.reason, "stage": result.stage},
        "tally": result.tally,
        "instance": instance_view(result.instance),
    }


def _decision_answer(result: record_decision.DecisionRecorded) -> dict[str, Any]:
    return {"decision": result.decision, "stage": result.stage, "instance": instance_view(result.instance)}


@router.post(
    "/instances/{instance_id}/votes", status_code=201, summary="A member's vote, with its reason",
    description="A member of the body owning the current voting stage votes; the stage moves as soon as the "
    "body's rule (quorum, majority, casting vote) decides. " + STAGE_RULE,
    responses=STAGE_RESPONSES,
)
async def vote(
    instance_id: str, body: VoteIn, principal: Caller, request: Request, idempotency_key: IdempotencyKey = None
) -> Response:
    sent = body.model_dump(mode="json")
    command = cast_vote.CastVote(
        principal, instance_id, body.choice, body.reason, tuple(sent["observations"]), body.stage
    )
    return await run_command(
        request, cast_vote.handle, command, status=201, present=_vote_answer, idempotency_key=idempotency_key,
        payload=request_digest(f"vote:{instance_id}", sent), subject=principal.subject, require_key=True,
    )


@router.post(
    "/instances/{instance_id}/decisions",
    status_code=201,
    summary="The body's decision (bodies deciding as one) or the chair/secretary's record of its resolution",
    description="Any member of a body deciding as one (a `single` stage) records its decision; at a voting "
    "stage the chair or the secretary records the resolution, which must agree with the votes cast. " + STAGE_RULE,
    responses=STAGE_RESPONSES,
)
async def decision(
    instance_id: str, body: DecisionIn, principal: Caller, request: Request, idempotency_key: IdempotencyKey = None
) -> Response:
    sent = body.model_dump(mode="json")
    command = record_decision.RecordDecision(
        principal, instance_id, body.decision, body.reason, tuple(sent["observations"]), body.stage
    )
    return await run_command(
        request, record_decision.handle, command, status=201, present=_decision_answer,
        idempotency_key=idempotency_key, payload=request_digest(f"decision:{instance_id}", sent),
        subject=principal.subject, require_key=True,
    )
