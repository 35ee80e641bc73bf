"""FastAPI dependencies of the webhook routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request

from dgplan_contracts.assertion import principal_from_request
from dgplan_contracts.identity import Principal
from dgplan_shared.service import get_runtime
from notifications.adapters.secret_box import SecretBox
from notifications.domain.url_policy import Allowlist
from notifications.settings import Settings

Caller = Annotated[Principal, Depends(principal_from_request)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200)]

Q = TypeVar("Q")
R = TypeVar("R")


def settings_of(request: Request) -> Settings:
    settings = get_runtime(request).settings
    assert isinstance(settings, Settings)
    return settings


def allowlist_of(request: Request) -> Allowlist:
    return Allowlist.parse(settings_of(request).webhook_allowlist)


def box_of(request: Request) -> SecretBox:
    return SecretBox.from_setting(settings_of(request).secret_keys.get_secret_value())


async def run_query(request: Request, query_handler: Callable[[Q, Any], Awaitable[R]], query: Q) -> R:
    """A read use case in its own (read-only) unit of work."""
    async with get_runtime(request).uow() as uow:
        return await query_handler(query, uow)
