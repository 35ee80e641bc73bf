"""How the console writes dates and money: Buddhist-Era years with Thai month names in Thai,
baht with thousands separators, million baht where plans speak so. Exact: Decimal only."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_CENT = Decimal("0.01")
_MILLION = Decimal(1_000_000)


def parse_instant(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def format_date(value: date | datetime | str | None, locale: str) -> str:
    """``2 ธันวาคม 2569`` (th) or ``2 December 2026`` (en); instants are shown in Bangkok time."""
    if isinstance(value, str):
        value = parse_instant(value) if "T" in value else date.fromisoformat(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BANGKOK).date()
    if locale == "th":
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def format_baht(amount: Decimal | str | None, locale: str) -> str:
    """``4,879,870,000.00 บาท`` / ``THB 4,879,870,000.00``."""
    if amount is None:
        return ""
    figure = f"{Decimal(amount).quantize(_CENT, ROUND_HALF_EVEN):,}"
    return f"{figure} บาท" if locale == "th" else f"THB {figure}"


def format_million_baht(amount: Decimal | str | None, locale: str) -> str:
    """``4,879.87 ล้านบาท`` / ``4,879.87 million baht``."""
    if amount is None:
        return ""
    figure = f"{(Decimal(amount) / _MILLION).quantize(_CENT, ROUND_HALF_EVEN):,}"
    return f"{figure} ล้านบาท" if locale == "th" else f"{figure} million baht"


def is_overdue(due_at: str | None, now: datetime) -> bool:
    due = parse_instant(due_at)
    return due is not None and due < now


def days_left(due_at: str | None, now: datetime) -> int | None:
    due = parse_instant(due_at)
    if due is None:
        return None
    return (due.astimezone(BANGKOK).date() - now.astimezone(BANGKOK).date()).days
