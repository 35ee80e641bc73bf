"""The screening funnel (requested → recommended → approved, against the ceiling) as bar lengths in
percent of the largest figure: pure arithmetic. The page draws each bar as a tiny SVG beside an
HTML label and figure, so long Thai labels wrap instead of being cut."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EXPENSE_CATEGORIES = ("personnel", "operating", "investment", "subsidy", "other")
DECISIONS = ("recommend-full", "recommend-reduced", "defer", "reject", "return")
RECOMMENDING = ("recommend-full", "recommend-reduced")


@dataclass(frozen=True)
class FunnelBar:
    key: str
    amount: Decimal
    percent: Decimal  # of the largest bar, 0–100
    share_of_ceiling: Decimal | None  # percent of the ceiling, None without one


def funnel(stages: list[tuple[str, Decimal]], ceiling: Decimal | None) -> tuple[FunnelBar, ...]:
    """``stages``: (key, amount) in funnel order; the ceiling is drawn as the first bar's scale too."""
    largest = max([amount for _, amount in stages] + ([ceiling] if ceiling else []), default=Decimal(0))
    bars = []
    for key, amount in stages:
        percent = (amount * 100 / largest).quantize(Decimal("0.1")) if largest > 0 else Decimal(0)
        share = (amount * 100 / ceiling).quantize(Decimal("0.1")) if ceiling else None
        bars.append(FunnelBar(key, amount, percent, share))
    return tuple(bars)


def parse_amount(text: str) -> str | None:
    """What a person types for baht (``1,500,000.50`` or ``1500000``) as the API's decimal string;
    blank is None. Anything else is passed on as typed, for the API to refuse by name."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    return cleaned or None


def amounts_from_form(values: dict[str, str]) -> dict[str, str]:
    """The expense categories a person filled in."""
    found = {}
    for category in EXPENSE_CATEGORIES:
        amount = parse_amount(values.get(category, ""))
        if amount is not None:
            found[category] = amount
    return found
