"""The whole-plan JSON document (export and import share it; the seed is one). Its text is
normalized by ``Strict`` like every request body's."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt, StrictStr

from dgplan_contracts.codes import Code
from dgplan_contracts.money import MoneyOrZero
from dgplan_contracts.text import BilingualName as Bilingual
from dgplan_shared.web.models import Strict

from plan_registry.domain.fields import AlignmentIn, Declared, RoleIn, Year

FORMAT = "dgplan.plan-export/1"


class AgencyDoc(Strict):
    code: Code
    name: Bilingual
    parent_code: StrictStr | None = None


class PlanDoc(Strict):
    id: StrictStr = Field(min_length=1, max_length=64)
    code: Code
    title: Bilingual
    start_fy: Year
    end_fy: Year
    predecessor_plan_id: StrictStr | None = None
    successor_plan_id: StrictStr | None = None
    latest_version_id: StrictStr
    approved_version_id: StrictStr | None = None


class NodeDoc(Strict):
    id: StrictStr = Field(min_length=1, max_length=64)
    node_type: Literal["plan", "focus_area", "objective", "target", "strategy", "measure", "work_plan", "project"]
    parent_id: StrictStr | None = None
    code: Code
    position: StrictInt = Field(ge=0, le=1_000_000)
    name: Bilingual
    budget_framework: MoneyOrZero | None = None
    start_fy: Year | None = None
    end_fy: Year | None = None
    status: StrictStr | None = None
    declared: Declared | None = None
    attributes: dict[str, Any] = {}
    roles: list[RoleIn] = []
    focus_area_ids: list[StrictStr] = []
    target_ids: list[StrictStr] = []
    contributes_to: list[AlignmentIn] = Field(default=[], max_length=100)
    continues_project_id: StrictStr | None = None


class VersionDoc(Strict):
    id: StrictStr = Field(min_length=1, max_length=64)
    number: StrictInt = Field(ge=1, le=1_000_000)
    status: Literal["draft", "submitted", "under_review", "returned", "approved", "rejected", "superseded"]
    based_on_version_id: StrictStr | None = None
    submitted_by: StrictStr | None = None
    submitted_at: StrictStr | None = None
    decided_at: StrictStr | None = None
    decided_by_body: StrictStr | None = None
    nodes: list[NodeDoc]


class ObservationDoc(Strict):
    id: StrictStr = Field(min_length=1, max_length=64)
    version_id: StrictStr
    node_id: StrictStr | None = None
    raised_by_body: StrictStr
    external_ref: StrictStr | None = None
    text: Bilingual
    status: Literal["open", "responded", "accepted", "rejected", "closed"]
    response: Bilingual | None = None
    responded_by: StrictStr | None = None
    resolution_reason: StrictStr | None = None
    created_at: StrictStr


class PlanDocument(Strict):
    format: Literal["dgplan.plan-export/1"]
    agencies: list[AgencyDoc]
    plan: PlanDoc
    versions: list[VersionDoc] = Field(min_length=1)
    observations: list[ObservationDoc] = []
