"""Measured quantities on the wire (indicator values, targets, percent complete): exact decimals
that a client may send as a JSON number or as a decimal string, and that the OpenAPI describes as
exactly what the server takes.

Money is not one of these (``dgplan_contracts.money`` takes decimal strings only). A quantity is
often typed by a person or a spreadsheet as a number, so both forms are taken, but only in the
plain notation: ASCII digits 0–9, an optional sign and point, no exponent, no NaN or infinity, at
most the declared digits and places. Python's ``Decimal()`` would also read Thai (๕๐), Devanagari
or full-width digits and ``1e3``; those are refused with a message that says so (issue 16 item 2),
never converted behind the client's back.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema


def _pattern(integer_digits: int, places: int, signed: bool) -> str:
    sign = "-?" if signed else ""
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    return rf"^{sign}[0-9]{{1,{integer_digits}}}{fraction}$"


def _parser(pattern: re.Pattern[str], places: int, low: Decimal | None, high: Decimal | None):  # type: ignore[no-untyped-def]
    def parse(value: object) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("a number, not true or false")
        if isinstance(value, int):
            text = str(value)
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError("a finite number")
            # repr is the shortest text that reads back as the same float: 12.5, not 12.4999…
            text = repr(value)
            if "e" in text or "E" in text:
                text = format(Decimal(text), "f")
        elif isinstance(value, Decimal):
            text = format(value, "f")
        elif isinstance(value, str):
            text = value
        else:
            raise ValueError('a number such as 12.5, or a decimal string such as "12.5"')
        if not pattern.match(text):
            if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
                raise ValueError("digits must be ASCII 0-9 (Thai or other digits are not accepted)")
            if re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
                raise ValueError(f"at most {places} decimal places and the declared number of digits")
            raise ValueError(f"not a plain decimal number (pattern {pattern.pattern})")
        try:
            number = Decimal(text)
        except InvalidOperation:  # the pattern admits only what Decimal reads; kept as a guard
            raise ValueError("not a decimal number") from None
        if low is not None and number < low:
            raise ValueError(f"must be at least {low}")
        if high is not None and number > high:
            raise ValueError(f"must be at most {high}")
        return number

    return parse


def quantity(
    *, integer_digits: int = 24, places: int = 6, minimum: int | str | None = None, maximum: int | str | None = None
) -> Any:
    """An ``Annotated[Decimal, ...]`` for a measured quantity with these limits."""
    low = Decimal(str(minimum)) if minimum is not None else None
    high = Decimal(str(maximum)) if maximum is not None else None
    signed = low is None or low < 0
    text_pattern = _pattern(integer_digits, places, signed)
    bounds: dict[str, Any] = {}
    if low is not None:
        bounds["minimum"] = int(low) if low == low.to_integral_value() else float(low)
    if high is not None:
        bounds["maximum"] = int(high) if high == high.to_integral_value() else float(high)
    schema = {
        "anyOf": [
            {"type": "number", **bounds},
            {"type": "string", "pattern": text_pattern},
        ],
        "description": (
            f"A decimal number, as a JSON number or a decimal string (ASCII digits, at most {places} places"
            + (f", {low} to {high}" if low is not None and high is not None else "")
            + "); no exponent."
        ),
        "examples": ["12.5"],
    }
    return Annotated[
        Decimal, BeforeValidator(_parser(re.compile(text_pattern), places, low, high)), WithJsonSchema(schema)
    ]
