"""Use case: an operator adds a version of a workflow definition (validated; running instances
keep the version they started with, only new instances take the new one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, invalid
from dgplan_shared.web.guards import refuse_bad_text
from gateway.governance.application.repositories import repositories
from gateway.governance.domain.definitions import WorkflowDefinition


@dataclass(frozen=True)
class AddWorkflowVersion:
    principal: Principal
    key: str
    document: dict[str, Any] = field(default_factory=dict)


def validate_definition(key: str, document: dict[str, Any]) -> WorkflowDefinition:
    refuse_bad_text(document, "definition")
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


async def handle(command: AddWorkflowVersion, uow: UnitOfWork) -> dict[str, Any]:
    """The key, the new version's number and the stored definition."""
    repos = repositories(uow)
    now = utcnow()
    definition = validate_definition(command.key, command.document)
    unknown = sorted(definition.bodies() - await repos.bodies.codes())
    if unknown:
        raise invalid("stages", f"unknown bodies {unknown}")
    version = (await repos.workflows.latest_version(command.key) or 0) + 1
    stored = definition.model_dump(mode="json")
    await repos.workflows.add(command.key, version, stored, command.principal.subject, now)
    await repos.audit.append(
        actor=command.principal.subject, acting_as="operator", action="workflow-version-added",
        target=f"workflow:{command.key}", decision=f"v{version}", payload=stored, at=now,
    )
    return {"key": command.key, "version": version, "definition": stored}
