"""Request bodies. Money is a decimal string (ASCII digits, at most two places); a JSON number is
refused (422). Text is normalized by ``Strict`` (NFC and Thai spelled one way) before it is stored."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt, StrictStr

from dgplan_contracts.codes import Code
from dgplan_contracts.money import MoneyOrZero
from dgplan_contracts.text import BilingualName
from dgplan_shared.web.models import Strict

from plan_registry.domain.fields import AlignmentIn, Declared, RoleIn, Year

__all__ = ["RoleIn", "Declared"]


class NodeFields(Strict):
    name: BilingualName | None = None
    parent_id: StrictStr | None = None
    code: Code | None = None
    budget_framework: MoneyOrZero | None = None
    start_fy: Year | None = None
    end_fy: Year | None = None
    status: StrictStr | None = None
    declared: Declared | None = None
    attributes: dict[str, Any] | None = None
    roles: list[RoleIn] | None = None
    focus_area_ids: list[StrictStr] | None = None
    target_ids: list[StrictStr] | None = None
    # The node's "contributes to" links to national frameworks (replaced whole when given).
    contributes_to: list[AlignmentIn] | None = Field(default=None, max_length=100)
    # A project only: the project of the predecessor plan this one continues (null: none).
    continues_project_id: StrictStr | None = Field(default=None, max_length=64)
    position: StrictInt | None = Field(default=None, ge=0, le=1_000_000)


class NodeCreate(NodeFields):
    node_type: Literal["focus_area", "objective", "target", "strategy", "measure", "work_plan", "project"]
    name: BilingualName
    code: Code


class NodePatch(NodeFields):
    pass


class ProjectCreate(NodeFields):
    plan_id: StrictStr
    parent_id: StrictStr
    code: Code
    name: BilingualName


class PlanCreate(Strict):
    code: Code
    title: BilingualName
    start_fy: Year
    end_fy: Year
    predecessor_plan_id: StrictStr | None = None
    successor_plan_id: StrictStr | None = None
    vision: BilingualName | None = None
    legal_basis: list[BilingualName] = []
    alignment: list[BilingualName] = []
    declared: Declared | None = None
    declared_strategies: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    budget_framework: MoneyOrZero | None = None


class PlanPatch(Strict):
    title: BilingualName | None = None
    start_fy: Year | None = None
    end_fy: Year | None = None
    predecessor_plan_id: StrictStr | None = None
    successor_plan_id: StrictStr | None = None


class AgencyCreate(Strict):
    code: Code
    name: BilingualName
    parent_code: StrictStr | None = None


class AgencyPatch(Strict):
    name: BilingualName | None = None
    parent_code: StrictStr | None = None


class ReviseIn(Strict):
    based_on_version_id: StrictStr | None = None


class ObservationCreate(Strict):
    text: BilingualName
    node_id: StrictStr | None = None
    raised_by_body: StrictStr = Field(min_length=1, max_length=64)


class ObservationResponse(Strict):
    text: BilingualName


class ObservationResolution(Strict):
    decision: Literal["accepted", "rejected"]
    reason: StrictStr | None = None
