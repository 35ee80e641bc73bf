"""The governance workflow engine: bodies and members, versioned workflow definitions, instances,
stage decisions and votes, deadlines and escalation."""

from fastapi import APIRouter

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import Runtime


def routers() -> list[APIRouter]:
    return []


def register_handlers(handlers: EventHandlers) -> None:
    """Subscribe the engine to the registry's and ledger's events."""


SUBSCRIPTIONS: tuple[str, ...] = ()


async def embedded_setup(runtime: Runtime) -> None:
    """Seed the bodies, their demo members and the workflow definitions (idempotently)."""
