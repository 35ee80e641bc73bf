"""The repositories a use case works with, over its unit of work's session.

A fast test's fake unit of work carries in-memory ones as ``uow.repositories`` instead, so the
use cases run unchanged without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.governance.adapters.audit_repository import AuditRepository
from gateway.governance.adapters.bodies_repository import BodiesRepository
from gateway.governance.adapters.instances_repository import InstancesRepository
from gateway.governance.adapters.observations_repository import ObservationsRepository
from gateway.governance.adapters.workflows_repository import WorkflowsRepository


@dataclass(frozen=True)
class Repositories:
    bodies: BodiesRepository
    workflows: WorkflowsRepository
    instances: InstancesRepository
    observations: ObservationsRepository
    audit: AuditRepository

    @classmethod
    def over(cls, session: AsyncSession) -> Repositories:
        return cls(
            BodiesRepository(session),
            WorkflowsRepository(session),
            InstancesRepository(session),
            ObservationsRepository(session),
            AuditRepository(session),
        )


def repositories(uow: Any) -> Repositories:
    """The unit of work's repositories: its own if it brings them (a test's fake), else SQL ones."""
    own = getattr(uow, "repositories", None)
    return own if own is not None else Repositories.over(uow.session)
