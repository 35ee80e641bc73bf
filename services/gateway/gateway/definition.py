"""The gateway as the shared kit sees it: the edge (entry point) plus the governance engine."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from gateway import edge, governance
from gateway.db.tables import inbox, metadata, outbox
from gateway.settings import Settings

SERVICE = "gateway"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    governance.register_handlers(handlers)
    return ServiceDefinition(
        name=SERVICE,
        title="dgplan gateway",
        description=(
            "The public entry point (routing, authentication, authorization, rate limits) and the "
            "governance workflow engine with its hash-chained audit log."
        ),
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="gateway:migrations",
        routers=lambda: [*edge.routers(), *governance.routers()],
        handlers=handlers,
        subscriptions=governance.SUBSCRIPTIONS,
        configure_app=edge.configure,
    )
