"""The budget-ledger service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.service import ServiceDefinition

from budget_ledger.db.tables import inbox, metadata, outbox
from budget_ledger.settings import Settings

SERVICE = "budget-ledger"


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    return ServiceDefinition(
        name=SERVICE,
        title="dgplan budget ledger",
        description="Budget frameworks, requests, screening rounds and decisions, allocations, commitments and disbursements as an append-only ledger.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="budget_ledger:migrations",
        handlers=handlers,
        subscriptions=(),
    )
