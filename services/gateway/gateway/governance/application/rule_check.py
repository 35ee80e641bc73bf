"""A body's decision rule as an operator sends it, checked and in its stored form."""

from __future__ import annotations

from typing import Any

from dgplan_shared.errors import invalid
from gateway.governance.domain.rules import DecisionRule

OPERATOR_AS = "operator"


def checked_rule(rule: dict[str, Any]) -> dict[str, Any]:
    try:
        return DecisionRule.from_json(rule).to_json()
    except (ValueError, ZeroDivisionError, KeyError, TypeError) as exc:
        raise invalid("rule", str(exc)) from exc
