"""The public entry point: authentication, identity forwarding, authorization, rate limits,
routing to the services, the merged OpenAPI document and the offline docs page."""

from fastapi import APIRouter, FastAPI

from dgplan_shared.service import Runtime


def routers() -> list[APIRouter]:
    """The edge's own routes (token endpoint, JWKS, docs). The catch-all proxy is added in configure."""
    return []


def configure(app: FastAPI) -> None:
    """Install edge middleware and the catch-all proxy route (added last so it never shadows a route)."""


async def embedded_setup(runtime: Runtime) -> None:
    """Create the demo clients (idempotently) and print their credentials."""
