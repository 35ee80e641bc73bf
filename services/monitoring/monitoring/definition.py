"""The monitoring service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from monitoring.db.tables import inbox, metadata, outbox
from monitoring.settings import Settings

SERVICE = "monitoring"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    return ServiceDefinition(
        name=SERVICE,
        title="dgplan monitoring",
        description="Indicators, quarterly progress reports, evaluations and scorecards; read models built from events.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="monitoring:migrations",
        handlers=handlers,
        subscriptions=(),
    )
