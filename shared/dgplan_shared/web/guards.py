"""Text that cannot be stored is refused at the door: PostgreSQL cannot hold U+0000, and a lone
surrogate (which JSON may escape as ``\\ud800``) is not Unicode text and cannot be encoded."""

from __future__ import annotations

from typing import Any

from dgplan_shared.errors import invalid


def text_fault(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    if "\x00" in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (a lone surrogate is not)"
    return None


def first_text_fault(value: Any, where: str = "body") -> tuple[str, str] | None:
    """(path, reason) of the first string in ``value`` (keys included) that cannot be stored."""
    if isinstance(value, str):
        fault = text_fault(value)
        return (where, fault) if fault else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (fault := text_fault(key)):
                return f"{where}.key", fault
            if found := first_text_fault(item, f"{where}.{key}"):
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if found := first_text_fault(item, f"{where}.{index}"):
                return found
    return None


def refuse_bad_text(value: Any, where: str = "body") -> None:
    """422 naming the first string in ``value`` that cannot be stored."""
    if found := first_text_fault(value, where):
        raise invalid(*found)
