"""Bilingual text on the wire: Thai required (the plan's sources are Thai), English optional or
required where a name must be shown in both. Normalized by the one text function through
``Strict`` (``dgplan_shared.text.normalize_text``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from dgplan_shared.web.models import Strict

MAX_TEXT = 4000


class Bilingual(Strict):
    th: str = Field(min_length=1, max_length=MAX_TEXT)
    en: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("th", "en")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be blank")
        return value


class BilingualName(Bilingual):
    """A name shown in both languages."""

    en: str = Field(min_length=1, max_length=MAX_TEXT)
