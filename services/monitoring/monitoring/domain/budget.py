"""Budget figures as monitoring shows them: totals per kind of posting and the execution rate."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0.00")
KINDS = ("allocation", "commitment", "disbursement")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def execution_rate(allocated: Decimal, disbursed: Decimal) -> str | None:
    if allocated <= 0:
        return None
    return str((disbursed / allocated * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def budget_block(
    totals: dict[str, Decimal], *, framework: Decimal | None = None, show_framework: bool = False
) -> dict[str, Any]:
    allocated = totals.get("allocation", ZERO)
    disbursed = totals.get("disbursement", ZERO)
    block = {
        "allocated": money(allocated),
        "committed": money(totals.get("commitment", ZERO)),
        "disbursed": money(disbursed),
        "execution_rate": execution_rate(allocated, disbursed),
    }
    if show_framework:
        block = {"framework": money(framework), **block}
    return block


def summed(blocks: list[dict[str, Decimal]]) -> dict[str, Decimal]:
    return {k: sum((b.get(k, ZERO) for b in blocks), ZERO) for k in KINDS}
