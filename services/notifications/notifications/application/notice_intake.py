"""The inbox handler's e-mail half: keep the memberships and the waiting stages, and turn the
events people must hear about into notices, queued in the same transaction as the inbox row (so
a redelivered event makes nothing twice) and, per fact, once (a re-published fact neither).

Who is told: a decision waiting, and its overdue notice, go to the active members of the body
(the overdue one also to the body it is escalated to); a budget request's or a progress report's
change goes to the people of its agency (and the report's submitter). Only people with a contact
address who did not turn that kind off get a notice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from notifications.adapters.notice_mail_repository import NoticeMails, WaitingStage
from notifications.adapters.notice_people_repository import NoticePeople
from notifications.adapters.read_model_repository import AgencyReadModels
from notifications.domain.notices import DECISION_WAITING, REPORT_CHANGED, REQUEST_CHANGED, STAGE_OVERDUE
from notifications.events import types as ev

log = logging.getLogger("notifications.notices")


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


async def tell(uow: UnitOfWork, subjects: list[str], kind: str, dedupe_key: str, facts: dict[str, Any],
               now: datetime) -> int:
    """Queue one notice per person (who has an address and wants this kind); how many were new."""
    people = NoticePeople(uow.session)
    wanted = sorted(set(subjects))
    contacts = await people.contacts(wanted)
    off = await people.unsubscribed(wanted, kind)
    mails = NoticeMails(uow.session)
    made = 0
    for subject in wanted:
        if subject not in contacts or subject in off:
            continue
        if await mails.add_notice(new_id("ntc"), subject, kind, dedupe_key, facts, new_id("mail"), now):
            made += 1
    return made


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def _subject_facts(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in ("instance_id", "workflow", "stage", "body", "deadline", "plan_id", "version_id",
                                     "round_id")}


async def _stage_entered(uow: UnitOfWork, data: dict[str, Any], now: datetime) -> None:
    waiting = bool(data.get("waits_for_body")) and data.get("status") == "active" and bool(data.get("body"))
    stage = WaitingStage(
        instance_id=str(data["instance_id"]), stage_entry=int(data["stage_entry"]), workflow=str(data["workflow"]),
        stage=str(data["stage"]), body=data.get("body"), deadline=_time(data.get("deadline")),
        context={k: data.get(k) for k in ("plan_id", "version_id", "round_id", "fiscal_year")},
    )
    if not await NoticeMails(uow.session).keep_stage(stage, waiting) or not waiting:
        return
    members = await NoticePeople(uow.session).members([str(data["body"])])
    await tell(uow, members, DECISION_WAITING, f"waiting:{stage.instance_id}:{stage.stage_entry}", stage.facts(),
               now)


async def _membership_changed(uow: UnitOfWork, data: dict[str, Any], now: datetime) -> None:
    """Keep the membership; a member who became active hears of what already waits for the body.

    The memberships and the stages come on different topics, so a consumer catching up may see a
    stage before the membership that makes someone its decider. Telling the member here, under the
    stage's own key, makes the order not matter: whichever comes second tells, and only once."""
    body, subject, active = str(data["body"]), str(data["subject"]), bool(data["active"])
    kept = await NoticePeople(uow.session).keep_membership(body, subject, str(data["role"]), active,
                                                           int(data["revision"]))
    if not kept or not active:
        return
    for stage in await NoticeMails(uow.session).waiting_for(body):
        await tell(uow, [subject], DECISION_WAITING, f"waiting:{stage.instance_id}:{stage.stage_entry}",
                   stage.facts(), now)


async def _overdue(uow: UnitOfWork, data: dict[str, Any], now: datetime) -> None:
    bodies = [str(b) for b in {data.get("body"), data.get("escalated_to")} if b]
    members = await NoticePeople(uow.session).members(bodies)
    # The stage and its deadline identify the stage entry: the engine notices it once, and a
    # re-published copy (a new event id) still finds this key taken.
    key = f"overdue:{data['instance_id']}:{data['stage']}:{data['deadline']}"
    await tell(uow, members, STAGE_OVERDUE, key, {**_subject_facts(data), "escalated_to": data.get("escalated_to")},
               now)


async def _request_changed(uow: UnitOfWork, event: CloudEvent, data: dict[str, Any], now: datetime) -> None:
    request_id = str(data.get("request_id") or event.subject)
    agency = data.get("agency") or await AgencyReadModels(uow.session).request_agency(request_id)
    if not agency:
        log.info("request change without a known agency: nobody told", extra={"request_id": request_id})
        return
    facts = {"request_id": request_id, "round_id": data.get("round_id"), "project_id": data.get("project_id"),
             "change": ev.REQUEST_STAGE_EVENTS[event.type], "decision": data.get("decision"), "agency": agency}
    people = await NoticePeople(uow.session).agency_people(str(agency))
    await tell(uow, people, REQUEST_CHANGED, f"request:{request_id}:{event.id}", facts, now)


async def _report_changed(uow: UnitOfWork, event: CloudEvent, data: dict[str, Any], now: datetime) -> None:
    agency = data.get("agency")
    people = await NoticePeople(uow.session).agency_people(str(agency)) if agency else []
    if data.get("submitted_by"):
        people.append(str(data["submitted_by"]))
    facts = {k: data.get(k) for k in ("report_id", "project_id", "fiscal_year", "quarter", "revision", "agency")}
    facts["change"] = ev.REPORT_STAGE_EVENTS[event.type]
    await tell(uow, people, REPORT_CHANGED, f"report:{data.get('report_id')}:{data.get('revision')}:{event.type}",
               facts, now)


async def handle(uow: UnitOfWork, event: CloudEvent) -> None:
    data = event.data if isinstance(event.data, dict) else {}
    now = utcnow()
    if event.type == ev.MEMBERSHIP_CHANGED:
        await _membership_changed(uow, data, now)
    elif event.type == ev.STAGE_ENTERED:
        await _stage_entered(uow, data, now)
    elif event.type == ev.STAGE_OVERDUE:
        await _overdue(uow, data, now)
    elif event.type in ev.REQUEST_STAGE_EVENTS:
        await _request_changed(uow, event, data, now)
    elif event.type in ev.REPORT_STAGE_EVENTS:
        await _report_changed(uow, event, data, now)
