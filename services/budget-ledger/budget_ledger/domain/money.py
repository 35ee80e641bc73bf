"""Baht as ``Decimal``: parsed only from decimal strings, written with exactly two places."""

from __future__ import annotations

import re
from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_MONEY = re.compile(r"^\d{1,15}(\.\d{1,2})?$")
MILLION = Decimal(1_000_000)


class MoneyError(ValueError):
    pass


def parse_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """A positive amount of baht from a JSON string such as ``"4879870000.00"``.

    JSON numbers are refused outright: a binary float cannot be trusted to hold satang exactly,
    and accepting integers but not floats would make clients' behaviour depend on the value.
    """
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise MoneyError("send money as a decimal string, e.g. \"1500000.00\", not a JSON number")
    else:
        raise MoneyError("send money as a decimal string, e.g. \"1500000.00\"")
    if not _MONEY.match(text):
        if re.match(r"^\d+\.\d{3,}$", text):
            raise MoneyError("at most two decimal places (satang)")
        if text.startswith("-"):
            raise MoneyError("must be greater than zero")
        raise MoneyError("not a decimal amount of baht like \"1500000.00\"")
    amount = Decimal(text).quantize(CENT)
    if amount <= 0 and not allow_zero:
        raise MoneyError("must be greater than zero")
    return amount


def money_str(value: Decimal | int | None) -> str:
    return format(Decimal(value or 0).quantize(CENT), "f")


def million_str(value: Decimal) -> str:
    """Baht as the plan documents speak them: million baht, two places."""
    return format((value / MILLION).quantize(CENT), "f")
