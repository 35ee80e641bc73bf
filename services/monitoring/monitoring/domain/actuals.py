"""One indicator actual checked against its indicator: formula, measure type, percent range."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dgplan_shared.errors import invalid
from monitoring.domain.indicators import Formula, decimal_text




def resolve_actual(
    indicator: dict[str, Any],
    field: str,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    note: str | None,
) -> dict[str, Any]:
    """The stored form of an actual, or a 422 naming the offending field (``field`` prefixes names)."""

    def at(name: str) -> str:
        return f"{field}.{name}" if field else name

    formula = indicator["formula"]
    if formula and numerator is not None and denominator is not None:
        if denominator == 0:
            raise invalid(at("denominator"), "must not be zero")
        computed = Formula(formula["numerator"], formula["denominator"], Decimal(formula["factor"])).apply(
            numerator, denominator
        ).quantize(Decimal("0.000001"))
        if value is not None and abs(value - computed) > Decimal("0.01"):
            raise invalid(at("value"), f"does not match numerator / denominator x factor = {computed}")
        value = computed
    elif numerator is not None or denominator is not None:
        raise invalid(field or "numerator", "numerator and denominator go together, for an indicator with a formula")
    if indicator["measure_type"] == "qualitative":
        if value is not None:
            raise invalid(at("value"), "a qualitative indicator takes a note, not a number")
        if not note:
            raise invalid(at("note"), "a qualitative indicator's actual is described in the note")
    elif value is None:
        raise invalid(at("value"), "required (or numerator and denominator for a formula indicator)")
    if indicator["measure_type"] == "percent" and value is not None and not 0 <= value <= 100:
        raise invalid(at("value"), "a percentage must be between 0 and 100")
    return {
        "value": None if value is None else decimal_text(value),
        "numerator": None if numerator is None else decimal_text(numerator),
        "denominator": None if denominator is None else decimal_text(denominator),
        "note": note,
    }
