"""Request bodies. Money is a decimal string with two places; a JSON number is refused (422)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator, model_validator

from plan_registry.domain.text import nfc, nfc_deep

Money = Annotated[StrictStr, Field(pattern=r"^[0-9]{1,13}\.[0-9]{2}$", examples=["4879870000.00"])]
Code = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Year = Annotated[StrictInt, Field(ge=-(2**31), le=2**31 - 1)]  # range checked (as BE) by the domain


def nul_path(value: Any, path: str = "", bad: Any = None) -> str | None:
    """Where a NUL character hides in a JSON value (PostgreSQL text cannot store it), if anywhere."""
    bad = bad or (lambda text: "\x00" in text)
    if isinstance(value, str):
        return path or "value" if bad(value) else None
    if isinstance(value, dict):
        for k, v in value.items():
            found = nul_path(k, f"{path}.{k}".lstrip("."), bad) or nul_path(v, f"{path}.{k}".lstrip("."), bad)
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = nul_path(v, f"{path}[{i}]", bad)
            if found:
                return found
    return None


def _not_unicode(text: str) -> bool:
    """A lone surrogate (JSON allows the escape ``\\ud800``) is not text: it cannot be stored or hashed as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = nul_path(data)
        if where:
            raise ValueError(f"{where} contains a NUL character")
        where = nul_path(data, bad=_not_unicode)
        if where:
            raise ValueError(f"{where} is not valid Unicode text (a lone surrogate)")
        return data


class Bilingual(Strict):
    th: StrictStr = Field(min_length=1, max_length=4000)
    en: StrictStr = Field(min_length=1, max_length=4000)

    @field_validator("th", "en")
    @classmethod
    def _nfc(cls, value: str) -> str:
        value = nfc(value)
        if not value:
            raise ValueError("must not be blank")
        return value


class Declared(Strict):
    measures: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    work_plans: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    projects: StrictInt | None = Field(default=None, ge=0, le=1_000_000)


class RoleIn(Strict):
    agency: StrictStr = Field(min_length=1, max_length=40)
    role: StrictStr = Field(min_length=1, max_length=20)


class NodeFields(Strict):
    name: Bilingual | None = None
    parent_id: StrictStr | None = None
    code: Code | None = None
    budget_framework: Money | None = None
    start_fy: Year | None = None
    end_fy: Year | None = None
    status: StrictStr | None = None
    declared: Declared | None = None
    attributes: dict[str, Any] | None = None
    roles: list[RoleIn] | None = None
    focus_area_ids: list[StrictStr] | None = None
    target_ids: list[StrictStr] | None = None
    position: StrictInt | None = Field(default=None, ge=0, le=1_000_000)

    @field_validator("attributes")
    @classmethod
    def _attrs(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else nfc_deep(value)


class NodeCreate(NodeFields):
    node_type: Literal["focus_area", "objective", "target", "strategy", "measure", "work_plan", "project"]
    name: Bilingual
    code: Code


class NodePatch(NodeFields):
    pass


class ProjectCreate(NodeFields):
    plan_id: StrictStr
    parent_id: StrictStr
    code: Code
    name: Bilingual


class PlanCreate(Strict):
    code: Code
    title: Bilingual
    start_fy: Year
    end_fy: Year
    predecessor_plan_id: StrictStr | None = None
    successor_plan_id: StrictStr | None = None
    vision: Bilingual | None = None
    legal_basis: list[Bilingual] = []
    alignment: list[Bilingual] = []
    declared: Declared | None = None
    declared_strategies: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    budget_framework: Money | None = None


class PlanPatch(Strict):
    title: Bilingual | None = None
    start_fy: Year | None = None
    end_fy: Year | None = None
    predecessor_plan_id: StrictStr | None = None
    successor_plan_id: StrictStr | None = None


class AgencyCreate(Strict):
    code: Code
    name: Bilingual
    parent_code: StrictStr | None = None


class AgencyPatch(Strict):
    name: Bilingual | None = None
    parent_code: StrictStr | None = None


class ReviseIn(Strict):
    based_on_version_id: StrictStr | None = None


class ObservationCreate(Strict):
    text: Bilingual
    node_id: StrictStr | None = None
    raised_by_body: StrictStr = Field(min_length=1, max_length=64)


class ObservationResponse(Strict):
    text: Bilingual


class ObservationResolution(Strict):
    decision: Literal["accepted", "rejected"]
    reason: StrictStr | None = None
