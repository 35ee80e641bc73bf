"""The governance audit log: append-only, hash-chained, verifiable (endpoint and command)."""

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from gateway.audit.routes import router

    return [router]
