"""FastAPI dependencies of the edge's own routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dgplan_contracts.assertion import principal_from_request
from dgplan_contracts.identity import OPERATOR, Principal, require_role
from dgplan_shared.service import get_runtime
from gateway.edge.domain.issuer import issuer, served_base_url
from gateway.edge.domain.secrets_hashing import SecretMaker
from gateway.edge.state import EdgeState, edge_state


def edge(request: Request) -> EdgeState:
    return edge_state(get_runtime(request))


def operator(principal: Annotated[Principal, Depends(principal_from_request)]) -> Principal:
    require_role(principal, OPERATOR)
    return principal


def secret_maker(request: Request) -> SecretMaker:
    return SecretMaker(get_runtime(request).settings.internal_auth_secret.get_secret_value())


def served_issuer(request: Request) -> str:
    """The built-in issuer's name as this request sees it: the configured public URL, else the
    address the request was served at (the proxy checks tokens against the same string)."""
    server = request.scope.get("server")
    served = served_base_url(
        request.url.scheme, request.headers.get("host"), tuple(server) if server else None,
        request.scope.get("root_path", ""),
    )
    return issuer(edge(request).settings.public_base_url, served)
