"""The notifications service as the shared kit sees it: settings, tables, routes, the inbox
handler for every domain event, and the delivery daemon."""

from __future__ import annotations

from dgplan_shared.consumer import EventHandlers, Handler
from dgplan_shared.service import ServiceDefinition

from notifications import daemons
from notifications.commands import reencrypt_secrets_command
from notifications.api import deliveries, endpoints, notices
from notifications.adapters.tables import idempotency_keys, inbox, metadata, outbox
from notifications.application import consume, demo_contacts
from notifications.events.types import CONSUMED, SUBSCRIPTIONS
from notifications.settings import Settings

SERVICE = "notifications"


class ForwardingHandlers(EventHandlers):
    """Every type on a subscribed topic goes to ``fallback``, also types added after this
    release (webhook subscribers ask for them by wildcard); ``types`` lists the known ones."""

    def __init__(self, fallback: Handler) -> None:
        super().__init__()
        self._fallback = fallback

    def get(self, event_type: str) -> Handler | None:
        return super().get(event_type) or self._fallback


def _routers():  # type: ignore[no-untyped-def]
    return (endpoints.router, deliveries.router, notices.router)


def definition() -> ServiceDefinition:
    handlers = ForwardingHandlers(consume.handle)
    handlers.on(*CONSUMED)(consume.handle)
    return ServiceDefinition(
        name=SERVICE,
        start_order=40,
        default_port=8104,
        title="dgplan notifications",
        description=(
            "Signed webhooks (Standard Webhooks 1.0) that tell agency systems what happened: subscriptions, "
            "deliveries with a durable retry schedule, replays; and e-mail notices that tell people a decision "
            "waits for them, its deadline is near or passed, or their request or report moved on."
        ),
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency_keys,
        inbox=inbox,
        migrations="notifications:migrations",
        routers=_routers,
        handlers=handlers,
        subscriptions=SUBSCRIPTIONS,
        daemons={"deliver": daemons.run},
        commands={"reencrypt-secrets": reencrypt_secrets_command},
        embedded_setup=demo_contacts.embedded_setup,
        # A mail program's one-click unsubscribe (RFC 8058) POSTs a form.
        other_media_types=frozenset({"application/x-www-form-urlencoded"}),
    )
