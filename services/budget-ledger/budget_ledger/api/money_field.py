"""``Money``: a pydantic field that accepts only decimal strings and writes two places."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from budget_ledger.domain.money import MoneyError, money_str, parse_money


def _parse(value: object) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


Money = Annotated[
    Decimal,
    BeforeValidator(_parse),
    PlainSerializer(money_str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,15}(\.\d{1,2})?$",
            "description": "Baht as a decimal string with at most two places, greater than zero.",
            "examples": ["1500000.00"],
        }
    ),
]
