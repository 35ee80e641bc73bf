"""How the plan's money is stored: exact baht as integer satang on every backend."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger
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
