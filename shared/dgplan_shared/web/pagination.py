"""Cursor pagination: one opaque cursor codec and one page shape for every list.

A cursor is the sort key of the last item shown (keyset pagination: stable under inserts, no
OFFSET scans), as base64url JSON. Clients treat it as opaque; a tampered or stale one is a 422.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from dgplan_shared.errors import invalid
from dgplan_shared.web.guards import text_fault

T = TypeVar("T")
R = TypeVar("R")

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1–200)")]
Cursor = Annotated[str | None, Query(max_length=512, description="Opaque cursor from the previous page's next_cursor")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(values), default=str)).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type) -> list[Any] | None:
    """The sort key a cursor carries, checked against ``types`` (one per key part); None for no cursor."""
    if cursor is None or cursor == "":
        return None
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise invalid("cursor", "not a cursor this list returned") from None
    if not isinstance(values, list) or len(values) != len(types):
        raise invalid("cursor", "not a cursor this list returned")
    out: list[Any] = []
    for value, kind in zip(values, types):
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or not -2**63 <= value < 2**63):
            raise invalid("cursor", "not a cursor this list returned")
        if kind is str and (not isinstance(value, str) or len(value) > 512 or text_fault(value)):
            raise invalid("cursor", "not a cursor this list returned")
        out.append(value)
    return out


def page_of(rows: Sequence[R], limit: int, key: Callable[[R], Sequence[Any]]) -> tuple[list[R], str | None]:
    """Split ``limit + 1`` fetched rows into the page and the cursor of the next one (None at the end)."""
    page = list(rows[:limit])
    return page, (encode_cursor(key(page[-1])) if len(rows) > limit and page else None)
