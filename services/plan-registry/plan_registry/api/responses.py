"""Shapes of the answers, for the OpenAPI document (routes return JSON built by the use cases)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dgplan_shared.web.pagination import Page

__all__ = ["Page"]


class BilingualOut(BaseModel):
    th: str
    en: str


class PlanOut(BaseModel):
    id: str
    code: str
    title: BilingualOut
    start_fy: int
    end_fy: int
    predecessor_plan_id: str | None
    successor_plan_id: str | None
    latest_version_id: str | None
    approved_version_id: str | None
    latest_version_status: str | None = None


class VersionOut(BaseModel):
    id: str
    plan_id: str
    number: int
    status: str
    based_on_version_id: str | None
    submitted_by: str | None
    submitted_at: str | None
    decided_at: str | None
    decided_by_body: str | None
    frozen: bool


class RoleOut(BaseModel):
    agency: str
    role: str
    demo: bool | None = Field(
        default=None,
        description="Present (true) only on a role the demo layer of `make run` assigned: demo data, not the plan's.",
    )


class DeclaredOut(BaseModel):
    measures: int | None
    work_plans: int | None
    projects: int | None


class FrameworkNodeOut(BaseModel):
    code: str
    parent_code: str | None = Field(description="None: a goal, the framework's top level")
    name: BilingualOut


class FrameworkOut(BaseModel):
    code: str
    kind: str
    name: BilingualOut
    revision: int
    nodes: list[FrameworkNodeOut] | None = Field(default=None, description="In a read of one framework")


class AlignmentOut(BaseModel):
    framework: str
    node: str
    strength: str
    rationale: str


class NodeOut(BaseModel):
    id: str
    node_type: str
    parent_id: str | None
    parent_type: str | None
    strategy_id: str | None
    code: str
    position: int
    name: BilingualOut
    budget_framework: str | None
    start_fy: int | None
    end_fy: int | None
    status: str | None
    declared: DeclaredOut | None
    attributes: dict[str, Any]
    roles: list[RoleOut]
    focus_area_ids: list[str]
    target_ids: list[str]
    contributes_to: list[AlignmentOut] = Field(description="Links to nodes of national frameworks (GET /api/v1/frameworks).")
    continues_project_id: str | None = Field(description="The predecessor plan's project this project continues.")
    plan_id: str | None = None
    version_id: str | None = None


class ObservationOut(BaseModel):
    id: str
    plan_id: str
    version_id: str
    node_id: str | None
    raised_by_body: str
    external_ref: str | None
    text: BilingualOut
    status: str
    response: BilingualOut | None
    responded_by: str | None
    resolution_reason: str | None
    created_at: str


class ObservationStepOut(BaseModel):
    at: str = Field(description="When (ISO 8601, UTC)")
    actor: str = Field(description="Who: the caller's subject, or the body whose decision raised it")
    action: str = Field(description="raised | responded | accepted | rejected | closed | imported")
    status: str = Field(description="The observation's status after this step")
    text: BilingualOut | None = Field(description="What was said: the observation when raised, the response when responded")
    reason: str | None = Field(description="Why a response was accepted or rejected")


class AgencyOut(BaseModel):
    code: str
    name: BilingualOut
    parent_code: str | None


class DiffNodeOut(BaseModel):
    node_type: str
    node_id: str
    code: str
    name: BilingualOut | None = None


class FieldChangeOut(BaseModel):
    node_type: str
    node_id: str
    code: str
    fields: dict[str, dict[str, Any]]


class VersionDocumentOut(BaseModel):
    plan_id: str
    version: VersionOut
    nodes: list[NodeOut] = Field(description="Every node of the version the caller may see, in the nodes list's order")


class DiffOut(BaseModel):
    from_: dict[str, Any] = Field(alias="from")
    to: dict[str, Any]
    added: list[DiffNodeOut]
    removed: list[DiffNodeOut]
    changed: list[FieldChangeOut]
    summary: str


class CountOut(BaseModel):
    declared: int | None
    registered: int
    missing: int | None


class StrategyCompletenessOut(BaseModel):
    strategy_id: str
    code: str
    name: BilingualOut
    measures: CountOut
    work_plans: CountOut
    projects: CountOut
    complete: bool


class CompletenessOut(BaseModel):
    plan_id: str
    version_id: str
    version_number: int
    strategies: CountOut
    measures: CountOut
    work_plans: CountOut
    projects: CountOut
    complete: bool
    per_strategy: list[StrategyCompletenessOut]


class ImportOut(BaseModel):
    outcome: str
    plan: PlanOut


def ok(model: type, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": model}}


def ok_or_not_modified(model: type) -> dict[int | str, dict[str, Any]]:
    """A read with a strong ETag: 200, or 304 when If-None-Match names it."""
    return {**ok(model), 304: {"description": "Not Modified: If-None-Match names the current ETag (no body)"}}
