"""The gateway as the shared kit sees it: the edge (entry point) plus the governance engine,
wired here explicitly — routers, event handlers, tables, commands and the scheduler daemon."""

from __future__ import annotations

import sys

import orjson

from dgplan_contracts.identity import OPERATOR, Principal
from dgplan_shared.commands import execute
from dgplan_shared.consumer import EventHandlers
from dgplan_shared.errors import ProblemError
from dgplan_shared.service import Runtime, ServiceDefinition
from gateway import edge
from gateway.edge.adapters import people_tables  # noqa: F401 - adds the person accounts' tables
from gateway.edge.application.people_demo import DEMO_PEOPLE
from gateway.edge.adapters import tables as edge_tables  # noqa: F401 - adds the edge's tables
from gateway.governance.adapters import audit_tables, tables  # noqa: F401 - add the engine's tables to the metadata
from gateway.governance.api import audit, bodies, instances, workflows
from gateway.governance.application import add_member, deadlines, intake, queries
from gateway.governance.application.seed import seed_governance
from gateway.metadata import idempotency_keys, inbox, metadata, outbox
from gateway.settings import Settings

SERVICE = "gateway"


async def verify_audit_command(runtime: Runtime, args: list[str]) -> int:
    """``dgplan-gateway verify-audit``: the verification as JSON; exit status 1 when the chain is broken."""
    async with runtime.db.session() as session:
        result = await queries.verify_audit(session)
    sys.stdout.write(orjson.dumps(result.to_json()).decode() + "\n")
    return 0 if result.ok else 1


async def seed_governance_command(runtime: Runtime, args: list[str]) -> int:
    """``dgplan-gateway seed-governance [--no-demo-members]``: what was added, as JSON."""
    added = await seed_governance(runtime, demo_members="--no-demo-members" not in args)
    sys.stdout.write(orjson.dumps(added).decode() + "\n")
    return 0


async def _embedded_setup(runtime: Runtime) -> None:
    """``make run`` only: the governance bodies and workflows, then the demo clients and people (printed),
    then the demo people's body memberships (the edge knows the people, the engine the bodies)."""
    await seed_governance(runtime)
    await edge.embedded_setup(runtime)
    await edge.embedded_people_setup(runtime)
    await _demo_memberships(runtime)


async def _demo_memberships(runtime: Runtime) -> None:
    setup = Principal(subject="gateway-setup", roles=frozenset({OPERATOR}))
    for person in DEMO_PEOPLE:
        if person.body is None:
            continue
        try:
            await execute(runtime.uow, add_member.handle,
                          add_member.AddMember(setup, person.body, person.subject, person.body_role))
        except ProblemError as exc:
            if exc.status != 409:  # already a member: an earlier run added it
                raise


def _routers() -> list:
    return [*edge.routers(), instances.router, bodies.router, workflows.router, audit.router]


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    intake.register(handlers)
    return ServiceDefinition(
        name=SERVICE,
        start_order=90,
        fronts_services=True,
        default_port=8000,
        # The OAuth2 token endpoint reads form bodies (RFC 6749 §4.4.2); the ledger's bulk import of
        # budget requests takes a spreadsheet as the body, which the gateway passes through.
        other_media_types=frozenset({
            "application/x-www-form-urlencoded",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv", "application/octet-stream",
        }),
        title="dgplan gateway",
        description=(
            "The public entry point (routing, authentication, authorization, rate limits) and the "
            "governance workflow engine with its hash-chained audit log."
        ),
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency_keys,
        inbox=inbox,
        migrations="gateway:migrations",
        routers=_routers,
        handlers=handlers,
        subscriptions=intake.SUBSCRIPTIONS,
        configure_app=edge.configure,
        commands={"verify-audit": verify_audit_command, "seed-governance": seed_governance_command},
        daemons={"scheduler": deadlines.run},
        embedded_setup=_embedded_setup,
    )
