"""The secretariat's node form as a PATCH of the registry. The form carries the values it showed
beside the ones typed, so only what the person changed is sent (an untouched field, and the demo
mark of untouched roles, stay as the registry has them); when the node changed meanwhile (412) the
form is shown again keeping only the person's own changes over the node as it now is."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from console.domain.funnel import parse_amount

FIELDS = ("name_th", "name_en", "budget_framework")


def _same_money(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b  # not a number: a change, sent as typed for the API to refuse by name


def changed_fields(shown: dict[str, str], typed: dict[str, str]) -> dict[str, str]:
    """The fields whose typed value differs from the one the form showed, as typed."""
    changed = {}
    for key in FIELDS:
        before, now = shown.get(key, ""), typed.get(key, "")
        same = (_same_money(parse_amount(before), parse_amount(now)) if key == "budget_framework"
                else before.strip() == now.strip())
        if not same:
            changed[key] = now
    return changed


def node_patch(shown: dict[str, str], typed: dict[str, str], roles: list[dict[str, Any]],
               remove_roles: list[str]) -> dict[str, Any]:
    """``roles``: the node's roles; ``remove_roles``: the ``agency:role`` pairs whose box was ticked."""
    changed = changed_fields(shown, typed)
    patch: dict[str, Any] = {}
    if "name_th" in changed or "name_en" in changed:
        patch["name"] = {"th": typed.get("name_th", "").strip(), "en": typed.get("name_en", "").strip()}
    if "budget_framework" in changed:
        patch["budget_framework"] = parse_amount(changed["budget_framework"])
    dropped = set(remove_roles)
    if dropped:
        kept = [r for r in roles if f"{r['agency']}:{r['role']}" not in dropped]
        patch["roles"] = [{"agency": r["agency"], "role": r["role"]} for r in kept]
    return patch
