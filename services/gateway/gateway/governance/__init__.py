"""The governance workflow engine: bodies and members, versioned workflow definitions, instances,
stage decisions and votes, deadlines and escalation — and, beside it, the audit log's routes."""

from fastapi import APIRouter

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import Runtime
from gateway.governance.commands import COMMANDS
from gateway.governance.intake import SUBSCRIPTIONS as _SUBSCRIPTIONS
from gateway.governance.intake import register as _register

__all__ = ["COMMANDS", "SUBSCRIPTIONS", "embedded_setup", "register_handlers", "routers"]


def routers() -> list[APIRouter]:
    from gateway import audit
    from gateway.governance.api import bodies, instances

    return [instances.router, bodies.router, *audit.routers()]


def register_handlers(handlers: EventHandlers) -> None:
    """Subscribe the engine to the registry's and ledger's events."""
    _register(handlers)


SUBSCRIPTIONS: tuple[str, ...] = _SUBSCRIPTIONS


async def embedded_setup(runtime: Runtime) -> None:
    """Seed the bodies, their demo members and the workflow definitions (idempotently)."""
    from gateway.governance.seed import seed_governance

    await seed_governance(runtime)
