"""The monitoring service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from __future__ import annotations

from datetime import date

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.service import ServiceDefinition
from monitoring.adapters.tables import idempotency, inbox, metadata, outbox
from monitoring.api import continuity, evaluations, indicators, progress_reports, project_statuses, reports
from monitoring.application.handle_consumed_event import consumer_handler
from monitoring.commands import rebuild_command, reevaluate_command
from monitoring.domain.evaluation import Thresholds
from monitoring.events import types as t
from monitoring.events.types import SUBSCRIPTIONS
from monitoring.settings import Settings, consumer_settings

SERVICE = "monitoring"


def _routers():  # type: ignore[no-untyped-def]
    return (indicators.router, progress_reports.router, evaluations.router, project_statuses.router,
            reports.router, continuity.router)


def consumer_clock() -> tuple[date, Thresholds]:
    """Today and the evaluation rules, as the consumer process is configured."""
    settings = consumer_settings()
    return settings.fixed_today or utcnow().date(), Thresholds.from_settings(settings)


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    handlers.on(*t.CONSUMED)(consumer_handler(consumer_clock))
    return ServiceDefinition(
        name=SERVICE,
        start_order=30,
        default_port=8103,
        title="dgplan monitoring",
        description="Indicators, quarterly progress reports, evaluations and scorecards; read models built from events.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency,
        inbox=inbox,
        migrations="monitoring:migrations",
        routers=_routers,
        handlers=handlers,
        subscriptions=SUBSCRIPTIONS,
        commands={"rebuild-read-models": rebuild_command, "reevaluate": reevaluate_command},
    )
