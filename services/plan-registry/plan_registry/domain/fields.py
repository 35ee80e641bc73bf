"""Field types the registry's request bodies and its plan document share (the document travels
through the API as an import body and is what the seed is made of)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr, field_validator
from pydantic import Strict as StrictValue

from dgplan_contracts.codes import Code
from dgplan_contracts.fiscal import FiscalYear
from dgplan_shared.web.models import Strict

# JSON integers only ("2565" as a string is refused), within the shared Buddhist-Era range.
Year = Annotated[FiscalYear, StrictValue()]


class Declared(Strict):
    measures: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    work_plans: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    projects: StrictInt | None = Field(default=None, ge=0, le=1_000_000)


class RoleIn(Strict):
    agency: StrictStr = Field(min_length=1, max_length=40)
    role: StrictStr = Field(min_length=1, max_length=20)


class AlignmentIn(Strict):
    """A node's "contributes to" link: a node of an external framework (by the framework's code and
    the node's code), primary or secondary, and why."""

    framework: Code
    node: Code
    strength: Literal["primary", "secondary"]
    rationale: StrictStr = Field(min_length=1, max_length=4000)

    @field_validator("rationale")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank: say why the node contributes")
        return value
