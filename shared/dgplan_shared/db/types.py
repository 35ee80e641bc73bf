"""Column types that keep values exact across PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

_CENT = Decimal("0.01")


class Satang(TypeDecorator[Decimal]):
    """Baht amounts as ``Decimal`` in Python, integer satang in the database.

    Integers are exact on every backend (SQLite has no exact decimal type). A value with more
    than two decimal places is refused rather than rounded: money never changes silently.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect) -> int | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal, not float")
        try:
            amount = Decimal(value)
            quantized = amount.quantize(_CENT)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a finite amount of baht") from exc
        if quantized != amount:
            raise ValueError(f"{value} has more than two decimal places")
        return int(quantized * 100)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(_CENT)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
