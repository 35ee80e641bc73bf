"""Baht on the wire: exact decimal strings with at most two places, ASCII digits only.

JSON numbers are refused outright (a binary float cannot be trusted to hold satang exactly, and
accepting integers but not floats would make clients' behaviour depend on the value). Digits are
0–9 only: Python's ``\\d`` and ``Decimal()`` also accept Thai (๑๒) and other scripts' digits,
which the OpenAPI pattern does not, so they are refused rather than converted behind the
client's back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MILLION = Decimal(1_000_000)
MAX_INTEGER_DIGITS = 15
PATTERN = rf"^[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,2}})?$"
_MONEY = re.compile(PATTERN)


class MoneyError(ValueError):
    pass


def parse_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """An amount of baht from a decimal string such as ``"4879870000.00"``."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise MoneyError('send money as a decimal string, e.g. "1500000.00", not a JSON number')
    else:
        raise MoneyError('send money as a decimal string, e.g. "1500000.00"')
    if not _MONEY.match(text):
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
            raise MoneyError("at most two decimal places (satang)")
        if text.startswith("-"):
            raise MoneyError("must not be negative" if allow_zero else "must be greater than zero")
        if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
            raise MoneyError("digits must be ASCII 0-9 (Thai or other digits are not accepted)")
        raise MoneyError(f'not a decimal amount of baht like "1500000.00" (at most {MAX_INTEGER_DIGITS} digits)')
    amount = Decimal(text).quantize(CENT)
    if amount <= 0 and not allow_zero:
        raise MoneyError("must be greater than zero")
    return amount


def money_str(value: Decimal | int | None) -> str:
    return format(Decimal(value or 0).quantize(CENT), "f")


def million_str(value: Decimal) -> str:
    """Baht as the plan documents speak them: million baht, two places."""
    return format((value / MILLION).quantize(CENT), "f")


def _field(allow_zero: bool):  # type: ignore[no-untyped-def]
    def parse(value: object) -> Decimal:
        try:
            return parse_money(value, allow_zero=allow_zero)
        except MoneyError as exc:
            raise ValueError(str(exc)) from None

    floor = "zero or more" if allow_zero else "greater than zero"
    return Annotated[
        Decimal,
        BeforeValidator(parse),
        PlainSerializer(money_str, return_type=str),
        WithJsonSchema({
            "type": "string",
            "pattern": PATTERN,
            "description": f"Baht as a decimal string (ASCII digits, at most two places), {floor}.",
            "examples": ["1500000.00"],
        }),
    ]


Money = _field(allow_zero=False)
"""A positive amount of baht."""
MoneyOrZero = _field(allow_zero=True)
"""An amount of baht that may be zero (a ceiling not yet set, a total)."""
