"""Kept answers served before routing: the plan list and approved (settled) versions' documents.

Why: measured (bench/registry_reads.py), FastAPI's route matching and parameter solving cost about
as much as the whole trivial route, so a kept answer that went through them reached little more
than half of the trivial route's throughput. Only what a route has already built, validated and
kept is answered here, to a caller the access rule admits (decided now, from the kept facts):
anything else — nothing kept, a caller who may not read it, a bad identity — goes on to the routes,
which check, refuse and build as usual. It sits innermost (inside the request-id, body-shape and
conditional-GET middleware), so those see these answers like any other.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from dgplan_contracts.assertion import optional_principal
from dgplan_shared.errors import ProblemError

from plan_registry.api import plans, versions
from plan_registry.api.conditional import PRIVATE_REVALIDATE, REVALIDATE, conditional, version_answer
from plan_registry.api.deps import kept_reads_of
from plan_registry.application import kept_plan_list, version_document
from plan_registry.domain.access import is_privileged_reader

PLAN_LIST = "/api/v1/plans"
DOCUMENT = re.compile(r"/api/v1/plans/([^/]+)/versions/([^/]+)/document")


def _route(router, endpoint):  # type: ignore[no-untyped-def]
    """The route an answer stands for: request metrics and logs name its template, as if routed."""
    return next(r for r in router.routes if getattr(r, "endpoint", None) is endpoint)


class KeptAnswersFirst:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.routes = {True: _route(plans.router, plans.list_plans),
                       False: _route(versions.router, versions.version_document)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            response = kept_response(scope)
            if response is not None:
                scope["route"] = self.routes[scope["path"] == PLAN_LIST]
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def kept_response(scope: Scope) -> Response | None:
    path = scope["path"]
    document = DOCUMENT.fullmatch(path) if path != PLAN_LIST else None
    if path != PLAN_LIST and document is None:
        return None
    runtime = getattr(scope["app"].state, "runtime", None)
    if runtime is None:
        return None
    request = Request(scope)
    kept = kept_reads_of(runtime)
    try:
        principal = optional_principal(request)
        if document is None:
            answer = kept_plan_list.fresh_for_query_string(kept, principal, scope.get("query_string", b""))
            if answer is None:
                return None
            return conditional(request, answer, PRIVATE_REVALIDATE if is_privileged_reader(principal) else REVALIDATE)
        query = version_document.ReadVersionDocument(principal, document.group(1), document.group(2))
        found = version_document.kept_answer(kept, query)
        return None if found is None else version_answer(request, found)
    except ProblemError:
        return None  # refused: the route refuses it properly (problem+json through the app's handlers)


def install(app: FastAPI) -> None:
    """Innermost of the app's middleware (``add_middleware`` would make it outermost)."""
    app.user_middleware.append(Middleware(KeptAnswersFirst))
