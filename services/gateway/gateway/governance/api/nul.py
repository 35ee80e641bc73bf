"""NUL characters are refused at the door: PostgreSQL cannot store or even compare them, and no
legitimate name, reason or id contains one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from dgplan_shared.problems import invalid


def _first_bad_text(
    value: Any, where: str, bad: Callable[[str], bool], key_where: Callable[[str, str], str]
) -> str | None:
    """The path of the first string (keys included) in ``value`` that ``bad`` rejects, or None."""
    if isinstance(value, str):
        return where if bad(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and bad(key):
                return key_where(where, key)
            found = _first_bad_text(item, f"{where}.{key}", bad, key_where)
            if found:
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _first_bad_text(item, f"{where}.{index}", bad, key_where)
            if found:
                return found
    return None


def _has_nul(text: str) -> bool:
    return "\x00" in text


def _is_not_unicode(text: str) -> bool:
    """JSON may escape a lone surrogate (``\\ud800``); it is not text and cannot be stored or hashed as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def find_nul(value: Any, where: str = "body") -> str | None:
    """The path of the first string containing NUL in ``value`` (keys included), or None."""
    return _first_bad_text(value, where, _has_nul, lambda at, key: f"{at}.{key!r}")


def refuse_nul(value: Any, where: str = "body") -> None:
    found = find_nul(value, where)
    if found:
        raise invalid(found, "must not contain NUL characters")
    found = _first_bad_text(value, where, _is_not_unicode, lambda at, key: f"{at}.key")
    if found:
        raise invalid(found, "must be valid Unicode text (a lone surrogate is not)")


async def refuse_nul_in_url(request: Request) -> None:
    """Router dependency: path and query parameters."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and "\x00" in value:
            raise invalid(name, "must not contain NUL characters")
    for name, value in request.query_params.multi_items():
        if "\x00" in value or "\x00" in name:
            raise invalid(name, "must not contain NUL characters")
