"""Use case: an operator adds a version of a workflow definition (validated; running instances
keep the version they started with, only new instances take the new one)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select

from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError, invalid
from dgplan_shared.service import Runtime
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_bodies, gov_workflow_definitions
from gateway.governance import idempotency, store
from gateway.governance.api.nul import refuse_nul
from gateway.governance.definitions import WorkflowDefinition


def validate_definition(key: str, document: dict[str, Any]) -> WorkflowDefinition:
    refuse_nul(document, "definition")
    try:
        definition = WorkflowDefinition.model_validate({**document, "key": document.get("key", key)})
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]) or "definition", "message": e["msg"]} for e in exc.errors()
        ]
        raise ProblemError(
            422, "invalid-workflow-definition", "Workflow definition is not valid",
            "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]), errors=errors,
        ) from exc
    if definition.key != key:
        raise invalid("key", f"the definition's key {definition.key!r} is not {key!r}")
    return definition


async def add_version(
    runtime: Runtime, principal: Principal, key: str, idem_key: str, document: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    definition = validate_definition(key, document)  # first: only valid text can be fingerprinted
    print_ = idempotency.fingerprint(f"workflow-version:{key}", document)
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        stored = await idempotency.replay(session, principal.subject, idem_key, print_)
        if stored is not None:
            return stored
        known = set((await session.execute(select(gov_bodies.c.code))).scalars())
        unknown = sorted(definition.bodies() - known)
        if unknown:
            raise invalid("stages", f"unknown bodies {unknown}")
        version = (await store.latest_definition_version(session, key) or 0) + 1
        stored_doc = definition.model_dump(mode="json")
        await session.execute(
            insert(gov_workflow_definitions).values(
                key=key, version=version, definition=stored_doc, created_by=principal.subject, created_at=now
            )
        )
        await audit.append(
            session, actor=principal.subject, acting_as="operator", action="workflow-version-added",
            target=f"workflow:{key}", decision=f"v{version}", payload=stored_doc, at=now,
        )
        response = {"key": key, "version": version, "definition": stored_doc}
        await idempotency.remember(session, principal.subject, idem_key, print_, 201, response)
        await uow.commit()
    return 201, response
