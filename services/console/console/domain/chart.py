"""Geometry of the server-rendered budget bar chart (SVG): pure arithmetic, no drawing library."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int
    share_text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(rows: list[tuple[str, Decimal, str]], *, width: int = 760, label_width: int = 260,
              bar_height: int = 34, gap: int = 18, value_room: int = 190) -> BarChart:
    """``rows``: (label, amount, amount as text). Bars share the longest one's scale."""
    largest = max((amount for _, amount, _ in rows), default=Decimal(0))
    total = sum((amount for _, amount, _ in rows), Decimal(0))
    room = width - label_width - value_room
    bars = []
    for index, (label, amount, text) in enumerate(rows):
        length = int(room * amount / largest) if largest > 0 else 0
        share = (amount * 100 / total).quantize(Decimal("0.1")) if total > 0 else Decimal(0)
        bars.append(Bar(label, text, gap + index * (bar_height + gap), max(length, 2), f"{share}%"))
    return BarChart(width, gap + len(rows) * (bar_height + gap), label_width, bar_height, tuple(bars))
