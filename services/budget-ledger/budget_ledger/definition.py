"""The budget-ledger service as the shared kit sees it: settings, tables, routes, handlers, commands."""

from __future__ import annotations

from typing import Any

from dgplan_shared.service import Runtime, ServiceDefinition

from budget_ledger.adapters.spreadsheets import CSV, XLSX
from budget_ledger.api import budget_routes, exchange_routes, open_data_routes, screening_routes
from budget_ledger.adapters.tables import idempotency_keys, inbox, metadata, outbox
from budget_ledger.events.types import SUBSCRIPTIONS
from budget_ledger.application.event_handlers import build_handlers
from budget_ledger.settings import Settings

SERVICE = "budget-ledger"


def definition() -> ServiceDefinition:
    # Handlers read the settings of the process they run in: the app's (set at startup) or, in a
    # consumer process, the environment's. Never built at import time.
    current: dict[str, Any] = {}

    def settings_provider() -> Settings:
        if "settings" not in current:
            current["settings"] = Settings()
        return current["settings"]

    async def on_startup(runtime: Runtime) -> None:
        current["settings"] = runtime.settings

    return ServiceDefinition(
        name=SERVICE,
        start_order=20,
        default_port=8102,
        title="dgplan budget ledger",
        description="Budget frameworks, requests, screening rounds and decisions, allocations, commitments and disbursements as an append-only ledger.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency_keys,
        inbox=inbox,
        migrations="budget_ledger:migrations",
        routers=lambda: (
            budget_routes.router(), screening_routes.router(), exchange_routes.router(), open_data_routes.router()
        ),
        # the bulk import of requests reads spreadsheets (octet-stream: what code generators send)
        other_media_types=frozenset({XLSX, CSV, "application/octet-stream"}),
        handlers=build_handlers(settings_provider),
        subscriptions=SUBSCRIPTIONS,
        on_startup=on_startup,
    )
