"""The repositories a use case works with, reached through its unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plan_registry.adapters.agency_repository import AgencyRepository
from plan_registry.adapters.framework_repository import FrameworkRepository
from plan_registry.adapters.node_repository import NodeRepository
from plan_registry.adapters.observation_repository import ObservationRepository
from plan_registry.adapters.plan_repository import PlanRepository


@dataclass
class Repositories:
    plans: PlanRepository
    nodes: NodeRepository
    agencies: AgencyRepository
    observations: ObservationRepository
    frameworks: FrameworkRepository


def repositories(uow: Any) -> Repositories:
    """SQL repositories on the unit of work's session; a unit of work that brings its own (the fast
    tests' in-memory fake) keeps them."""
    own = getattr(uow, "repositories", None)
    if own is not None:
        return own
    session = uow.session
    return Repositories(PlanRepository(session), NodeRepository(session), AgencyRepository(session),
                        ObservationRepository(session), FrameworkRepository(session))
