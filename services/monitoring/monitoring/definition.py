"""The monitoring service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from monitoring.db.tables import idempotency_keys, inbox, metadata, outbox
from monitoring.events.types import SUBSCRIPTIONS
from monitoring.settings import Settings

SERVICE = "monitoring"


def _routers():  # type: ignore[no-untyped-def]
    from monitoring.api import evaluations, indicators, progress_reports, project_statuses, reports

    return (indicators.router, progress_reports.router, evaluations.router, project_statuses.router,
            reports.router)


def definition() -> ServiceDefinition:
    from monitoring.commands import rebuild_command, reevaluate_command
    from monitoring.projections.handlers import register

    handlers = EventHandlers()
    register(handlers)
    return ServiceDefinition(
        name=SERVICE,
        start_order=30,
        default_port=8103,
        title="dgplan monitoring",
        description="Indicators, quarterly progress reports, evaluations and scorecards; read models built from events.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency_tables=(idempotency_keys,),
        inbox=inbox,
        migrations="monitoring:migrations",
        routers=_routers,
        handlers=handlers,
        subscriptions=SUBSCRIPTIONS,
        commands={"rebuild-read-models": rebuild_command, "reevaluate": reevaluate_command},
    )
