"""/healthz (alive), /readyz (database and bus, naming what is down), /metrics (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


async def readiness_body(runtime: Any, requires_bus: bool = True) -> dict[str, Any]:
    """``checks`` per dependency; ``down`` names the unreachable ones and ``detail`` says what each
    is (which broker, for how long), so an operator reading one answer knows where to look."""
    database = await runtime.db.ping()
    bus = await runtime.bus.check()
    down = [name for name, up in (("database", database), ("bus", bus)) if not up]
    ready = database and (bus or not requires_bus)
    body: dict[str, Any] = {
        "status": "ready" if ready else "not-ready",
        "checks": {"database": "up" if database else "down", "bus": "up" if bus else "down"},
    }
    if down:
        detail = {"database": "database unreachable", "bus": runtime.bus.availability.detail()}
        body["down"] = down
        body["detail"] = {name: detail[name] for name in down}
    return body


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Readiness: database reachable (and the bus, reported; required if so configured)",
        responses={503: {"description": "Not ready"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        runtime = request.app.state.runtime
        body = await readiness_body(runtime, requires_bus=runtime.settings.readiness_requires_bus)
        return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
