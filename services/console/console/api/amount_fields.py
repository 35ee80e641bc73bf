"""The five expense-category amount fields of a form (an agency's request and its revision, the
subcommittee's reduced recommendation), read once as a FastAPI dependency: what was typed (for
the form to keep when the API refuses) and the amounts the API is sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form

from console.domain.funnel import amounts_from_form

Amount = Annotated[str, Form(max_length=40)]


@dataclass(frozen=True)
class AmountFields:
    typed: dict[str, str]  # category → as typed, blank included

    @property
    def amounts(self) -> dict[str, str]:
        """The categories filled in, separators dropped (the API's decimal strings)."""
        return amounts_from_form(self.typed)


def _amount_fields(personnel: Amount = "", operating: Amount = "", investment: Amount = "", subsidy: Amount = "",
                   other: Amount = "") -> AmountFields:
    typed = {"personnel": personnel, "operating": operating, "investment": investment, "subsidy": subsidy,
             "other": other}
    return AmountFields(typed)


AmountsForm = Annotated[AmountFields, Depends(_amount_fields)]
