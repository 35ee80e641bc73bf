"""The gateway as the shared kit sees it: the edge (entry point) plus the governance engine."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import Runtime, ServiceDefinition

from gateway import edge, governance
from gateway.governance import scheduler
from gateway.edge.adapters import tables as _edge_tables  # noqa: F401 - adds the edge's tables
from gateway.governance.adapters import audit_tables  # noqa: F401 - adds the audit log's tables
from gateway.governance.adapters.tables import gov_idempotency
from gateway.metadata import idempotency_keys, inbox, metadata, outbox
from gateway.settings import Settings

SERVICE = "gateway"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    governance.register_handlers(handlers)
    return ServiceDefinition(
        name=SERVICE,
        start_order=90,
        default_port=8000,
        # The OAuth2 token endpoint reads form bodies (RFC 6749 §4.4.2).
        other_media_types=frozenset({"application/x-www-form-urlencoded"}),
        title="dgplan gateway",
        description=(
            "The public entry point (routing, authentication, authorization, rate limits) and the "
            "governance workflow engine with its hash-chained audit log."
        ),
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency_keys,
        idempotency_tables=(gov_idempotency,),
        inbox=inbox,
        migrations="gateway:migrations",
        routers=lambda: [*edge.routers(), *governance.routers()],
        handlers=handlers,
        subscriptions=governance.SUBSCRIPTIONS,
        configure_app=edge.configure,
        commands=dict(governance.COMMANDS),
        daemons={"scheduler": scheduler.run},
        embedded_setup=_embedded_setup,
    )


async def _embedded_setup(runtime: Runtime) -> None:
    """``make run`` only: the governance bodies and workflows, then the demo clients (printed)."""
    await governance.embedded_setup(runtime)
    await edge.embedded_setup(runtime)
