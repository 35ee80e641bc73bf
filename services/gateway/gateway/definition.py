"""The gateway service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from gateway.db.tables import inbox, metadata, outbox
from gateway.settings import Settings

SERVICE = "gateway"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    return ServiceDefinition(
        name=SERVICE,
        title="dgplan gateway",
        description="The public entry point (routing, authentication, authorization, rate limits) and the governance workflow engine.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="gateway:migrations",
        handlers=handlers,
        subscriptions=(),
    )
