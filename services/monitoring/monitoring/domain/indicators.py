"""Indicator arithmetic, pure: formulas, and achievement against a target honouring direction.

Achievement is a percentage of the way from the baseline to the target (or of the target itself
when there is no baseline): 100 means the target is met; it is capped to 0..150 so one runaway
indicator cannot hide the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dgplan_shared.errors import invalid

MEASURE_TYPES = ("number", "percent", "ratio", "qualitative")
DIRECTIONS = ("higher_is_better", "lower_is_better")
FREQUENCIES = ("quarterly", "semiannual", "annual")
LINK_TYPES = ("plan_target", "strategy", "project")

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Formula:
    numerator: str
    denominator: str
    factor: Decimal = Decimal(1)

    def apply(self, numerator: Decimal, denominator: Decimal) -> Decimal:
        if denominator == 0:
            raise ZeroDivisionError("denominator is zero")
        return numerator / denominator * self.factor


def parse_decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def achievement(actual: Decimal, target: Decimal, direction: str, baseline: Decimal | None = None) -> Decimal:
    """Percent of the target achieved (0..150)."""
    if direction == "higher_is_better":
        if baseline is not None and target != baseline:
            value = (actual - baseline) / (target - baseline) * _HUNDRED
        elif target != 0:
            value = actual / target * _HUNDRED
        else:
            value = _HUNDRED if actual >= target else Decimal(0)
    else:
        if baseline is not None and target != baseline:
            value = (baseline - actual) / (baseline - target) * _HUNDRED
        elif actual <= target:
            value = _HUNDRED
        else:
            value = target / actual * _HUNDRED if actual != 0 else Decimal(0)
    return min(max(value, Decimal(0)), Decimal(150))


def target_met(actual: Decimal, target: Decimal, direction: str) -> bool:
    return actual >= target if direction == "higher_is_better" else actual <= target


@dataclass(frozen=True)
class IndicatorDefinition:
    """What the secretariat defines an indicator as (numbers exact; targets one per fiscal year)."""

    code: str
    name_th: str
    name_en: str
    unit: str
    measure_type: str
    link_type: str
    link_id: str
    direction: str = "higher_is_better"
    formula: Formula | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    targets: tuple[tuple[int, Decimal], ...] = ()
    frequency: str = "quarterly"
    source: str | None = None


def decimal_text(value: Decimal) -> str:
    """Canonical decimal text: 80.00 and 80 are the same target."""
    return format(value.normalize(), "f")


def check_definition(definition: IndicatorDefinition) -> None:
    """The rules a definition obeys whatever it links to (422 naming the field)."""
    years = [fy for fy, _ in definition.targets]
    if len(years) != len(set(years)):
        raise invalid("targets", "one target per fiscal year")
    if definition.measure_type == "qualitative" and (
        definition.targets or definition.formula or definition.baseline is not None
    ):
        raise invalid("measure_type", "a qualitative indicator has no numeric baseline, targets or formula")
    if definition.measure_type == "percent":
        for i, (_, target) in enumerate(definition.targets):
            if not 0 <= target <= 100:
                raise invalid(f"targets.{i}.target", "a percentage must be between 0 and 100")
        if definition.baseline is not None and not 0 <= definition.baseline <= 100:
            raise invalid("baseline", "a percentage must be between 0 and 100")
    if definition.formula is not None and definition.formula.factor == 0:
        raise invalid("formula.factor", "must not be zero")
