"""Field types the registry's request bodies and its plan document share (the document travels
through the API as an import body and is what the seed is made of)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, StrictStr
from pydantic import Strict as StrictValue

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
