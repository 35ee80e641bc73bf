"""The plan registry as the shared kit sees it: settings, tables, routes, handlers, commands."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from plan_registry.db.tables import inbox, metadata, outbox
from plan_registry.settings import Settings

SERVICE = "plan-registry"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    return ServiceDefinition(
        name=SERVICE,
        title="dgplan plan registry",
        description="Plans, plan versions and diffs, strategies to projects, agencies and observations.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="plan_registry:migrations",
        handlers=handlers,
        subscriptions=(),
    )
