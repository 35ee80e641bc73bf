"""NUL characters are refused at the door: PostgreSQL cannot store or even compare them, and no
legitimate name, reason or id contains one."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from dgplan_shared.problems import invalid


def find_nul(value: Any, where: str = "body") -> str | None:
    """The path of the first string containing NUL in ``value`` (keys included), or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return f"{where}.{key!r}"
            found = find_nul(item, f"{where}.{key}")
            if found:
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = find_nul(item, f"{where}.{index}")
            if found:
                return found
    return None


def refuse_nul(value: Any, where: str = "body") -> None:
    found = find_nul(value, where)
    if found:
        raise invalid(found, "must not contain NUL characters")
    found = _find_lone_surrogate(value, where)
    if found:
        raise invalid(found, "must be valid Unicode text (a lone surrogate is not)")


def _find_lone_surrogate(value: Any, where: str) -> str | None:
    """JSON may escape a lone surrogate (``\\ud800``); it is not text and cannot be stored or hashed as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find_lone_surrogate(key, f"{where}.key") or _find_lone_surrogate(item, f"{where}.{key}")
            if found:
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _find_lone_surrogate(item, f"{where}.{index}")
            if found:
                return found
    return None


async def refuse_nul_in_url(request: Request) -> None:
    """Router dependency: path and query parameters."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and "\x00" in value:
            raise invalid(name, "must not contain NUL characters")
    for name, value in request.query_params.multi_items():
        if "\x00" in value or "\x00" in name:
            raise invalid(name, "must not contain NUL characters")
