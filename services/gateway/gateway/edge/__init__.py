"""The public entry point: authentication, identity forwarding, authorization, rate limits,
routing to the services, the merged OpenAPI document and the offline docs page."""

from fastapi import APIRouter, FastAPI


def routers() -> list[APIRouter]:
    """The edge's own routes (token endpoint, JWKS, docs). The catch-all proxy is added in configure."""
    return []


def configure(app: FastAPI) -> None:
    """Install edge middleware and the catch-all proxy route (added last so it never shadows a route)."""
