"""/healthz (alive), /readyz (database and bus), /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


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
        database = await runtime.db.ping()
        bus = await runtime.bus.ping()
        ready = database and (bus or not runtime.settings.readiness_requires_bus)
        body = {
            "status": "ready" if ready else "not-ready",
            "checks": {"database": "up" if database else "down", "bus": "up" if bus else "down"},
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
