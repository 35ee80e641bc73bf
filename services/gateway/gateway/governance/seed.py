"""Seeding (idempotent): the bodies, the demo members and version 1 of both workflows.

``make run`` calls it through ``embedded_setup``; distributed deployments run the
``seed-governance`` command (a Job). Existing rows are left as operators changed them.
"""

from __future__ import annotations

from sqlalchemy import select

from dgplan_shared.db.types import utcnow
from dgplan_shared.service import Runtime
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_bodies, gov_members, gov_workflow_definitions
from gateway.governance.definitions import WorkflowDefinition
from gateway.governance.seed_data import BODIES, DEFINITIONS_V1, DEMO_MEMBERS

SEEDER = "governance-seed"


async def seed_governance(runtime: Runtime, *, demo_members: bool = True) -> dict[str, int]:
    now = utcnow()
    added = {"bodies": 0, "members": 0, "definitions": 0}
    async with runtime.uow() as uow:
        session = uow.session
        bodies = set((await session.execute(select(gov_bodies.c.code))).scalars())
        # Parents first: the list is ordered so, but insert in two passes to be safe.
        for body in sorted(BODIES, key=lambda b: b["parent_code"] is not None):
            if body["code"] in bodies:
                continue
            await session.execute(
                gov_bodies.insert().values(
                    code=body["code"], name_th=body["name"]["th"], name_en=body["name"]["en"], kind=body["kind"],
                    parent_code=body["parent_code"], rule=body["rule"], version=1, created_at=now, updated_at=now,
                )
            )
            await audit.append(
                session, actor=SEEDER, acting_as="system", action="body-created", target=f"body:{body['code']}",
                payload=body, at=now,
            )
            added["bodies"] += 1
        if demo_members:
            members = set((await session.execute(select(gov_members.c.body_code, gov_members.c.subject))).all())
            for code, subject, role in DEMO_MEMBERS:
                if (code, subject) in members:
                    continue
                await session.execute(
                    gov_members.insert().values(
                        body_code=code, subject=subject, role=role, active=True, version=1, created_at=now,
                        updated_at=now,
                    )
                )
                await audit.append(
                    session, actor=SEEDER, acting_as="system", action="member-added", target=f"body:{code}",
                    decision=role, payload={"subject": subject, "role": role}, at=now,
                )
                added["members"] += 1
        definitions = set(
            (await session.execute(select(gov_workflow_definitions.c.key, gov_workflow_definitions.c.version))).all()
        )
        for document in DEFINITIONS_V1:
            if (document["key"], 1) in definitions:
                continue
            stored = WorkflowDefinition.model_validate(document).model_dump(mode="json")
            await session.execute(
                gov_workflow_definitions.insert().values(
                    key=document["key"], version=1, definition=stored, created_by=SEEDER, created_at=now
                )
            )
            await audit.append(
                session, actor=SEEDER, acting_as="system", action="workflow-version-added",
                target=f"workflow:{document['key']}", decision="v1", payload=stored, at=now,
            )
            added["definitions"] += 1
        await uow.commit()
    return added
