"""The plan registry as the shared kit sees it: settings, tables, routes, handlers, commands."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.problems import problem_body, problem_response
from dgplan_shared.service import ServiceDefinition

from plan_registry.adapters.tables import idempotency_keys, inbox, metadata, outbox
from plan_registry.api import agencies, frameworks, kept_answers_first, observations, openapi, plans, projects, versions
from plan_registry.api.list_freshness import ForgetListsAfterWrites
from plan_registry.application import governance_decisions
from plan_registry.commands import embedded_setup, seed_command
from plan_registry.events.types import GOVERNANCE_TOPIC
from plan_registry.settings import Settings

SERVICE = "plan-registry"


def _routers():  # type: ignore[no-untyped-def]
    return (plans.router, versions.router, projects.router, agencies.router, observations.router, frameworks.router)


def _configure_app(app: FastAPI) -> None:
    """A write that loses a race on a unique key (two requests, same code) is a 409, not a 500;
    the OpenAPI document says If-Match is required where a missing one is a 428; a write answered
    here drops the plan lists this process keeps; kept answers are served before routing."""
    openapi.install(app)
    app.add_middleware(ForgetListsAfterWrites)
    kept_answers_first.install(app)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return problem_response(problem_body(
            409, "conflict", "Conflict", "The change conflicts with a concurrent one; read again and retry.", request.url.path
        ))


def definition() -> ServiceDefinition:
    handlers = EventHandlers()
    governance_decisions.register(handlers)
    return ServiceDefinition(
        name=SERVICE,
        start_order=10,
        default_port=8101,
        title="dgplan plan registry",
        description="Plans, plan versions and diffs, strategies to projects, agencies and observations.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        idempotency=idempotency_keys,
        inbox=inbox,
        migrations="plan_registry:migrations",
        routers=_routers,
        handlers=handlers,
        subscriptions=(GOVERNANCE_TOPIC,),
        commands={"seed": seed_command},
        embedded_setup=embedded_setup,
        configure_app=_configure_app,
    )
