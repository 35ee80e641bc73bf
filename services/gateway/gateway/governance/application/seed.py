"""Use case: seed (idempotently) the bodies, the demo members and version 1 of both workflows.

``make run`` runs it through the definition's embedded setup; distributed deployments run the
``seed-governance`` command (a Job). Existing rows are left as operators changed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dgplan_shared.commands import execute
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.service import Runtime
from gateway.governance.application.membership_events import publish_membership
from gateway.governance.application.repositories import Repositories, repositories
from gateway.governance.domain.definitions import WorkflowDefinition
from gateway.governance.domain.seed_data import BODIES, DEFINITIONS_V1, DEMO_MEMBER_NAMES, DEMO_MEMBERS

SEEDER = "governance-seed"


@dataclass(frozen=True)
class SeedGovernance:
    demo_members: bool = True


async def handle(command: SeedGovernance, uow: UnitOfWork) -> dict[str, int]:
    """How many bodies, members and definitions were added."""
    repos = repositories(uow)
    now = utcnow()
    added = {"bodies": 0, "members": 0, "definitions": 0}
    bodies = await repos.bodies.codes()
    # Parents before their children.
    for body in sorted(BODIES, key=lambda b: b["parent_code"] is not None):
        if body["code"] in bodies:
            continue
        await repos.bodies.add(
            {"code": body["code"], "name_th": body["name"]["th"], "name_en": body["name"]["en"], "kind": body["kind"],
             "parent_code": body["parent_code"], "rule": body["rule"], "version": 1, "created_at": now,
             "updated_at": now}
        )
        await repos.audit.append(
            actor=SEEDER, acting_as="system", action="body-created", target=f"body:{body['code']}", payload=body, at=now
        )
        added["bodies"] += 1
    if command.demo_members:
        members = await repos.bodies.memberships()
        for code, subject, role in DEMO_MEMBERS:
            if (code, subject) in members:
                await _name_if_unnamed(repos, code, subject, now)
                continue
            row = {"body_code": code, "subject": subject, "role": role, "name": DEMO_MEMBER_NAMES.get(subject),
                   "active": True, "version": 1, "created_at": now, "updated_at": now}
            await repos.bodies.add_member(row)
            await publish_membership(uow, row)
            await repos.audit.append(
                actor=SEEDER, acting_as="system", action="member-added", target=f"body:{code}", decision=role,
                payload={"subject": subject, "role": role}, at=now,
            )
            added["members"] += 1
    versions = await repos.workflows.versions()
    for document in DEFINITIONS_V1:
        if (document["key"], 1) in versions:
            continue
        stored = WorkflowDefinition.model_validate(document).model_dump(mode="json")
        await repos.workflows.add(document["key"], 1, stored, SEEDER, now)
        await repos.audit.append(
            actor=SEEDER, acting_as="system", action="workflow-version-added", target=f"workflow:{document['key']}",
            decision="v1", payload=stored, at=now,
        )
        added["definitions"] += 1
    return added


async def _name_if_unnamed(repos: Repositories, code: str, subject: str, now: datetime) -> None:
    """A demo member seeded before rosters had names gets its name once; a name an operator gave stays."""
    member = await repos.bodies.member(code, subject)
    name = DEMO_MEMBER_NAMES.get(subject)
    if member is not None and member.get("name") is None and name:
        await repos.bodies.update_member(code, subject, {"name": name, "version": member["version"] + 1,
                                                         "updated_at": now})


async def seed_governance(runtime: Runtime, *, demo_members: bool = True) -> dict[str, int]:
    """The seed in its own transaction (embedded setup, the ``seed-governance`` command, tests)."""
    answer = await execute(runtime.uow, handle, SeedGovernance(demo_members))
    return answer.body
