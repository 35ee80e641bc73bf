"""The one strict base model for request bodies.

Unknown fields are refused (a typo never passes silently), text that cannot be stored is refused
with the field named, and every string is normalized by the one text function before the field
validators see it, so what is stored, compared and searched is spelled one way.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from dgplan_shared.text import normalize_text
from dgplan_shared.web.guards import first_text_fault


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        if found := first_text_fault(value, "body"):
            raise ValueError(f"{found[0]}: {found[1]}")
        return _normalized(value)
