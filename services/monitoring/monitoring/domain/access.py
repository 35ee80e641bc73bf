"""Who may read which project's data: oversight roles every project, an agency the projects it
takes part in (lead or any other role)."""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import AGENCY, OVERSIGHT_ROLES, Principal, require_role
from dgplan_shared.errors import forbidden


def agency_codes(project: dict[str, Any]) -> set[str]:
    codes = {a.get("agency") for a in project.get("agencies") or []}
    codes.add(project.get("lead_agency"))
    return {c for c in codes if c}


def takes_part(principal: Principal, project: dict[str, Any]) -> bool:
    return principal.agency is not None and principal.agency in agency_codes(project)


def require_project_reader(principal: Principal, project: dict[str, Any]) -> None:
    if principal.oversees:
        return
    require_role(principal, AGENCY, *OVERSIGHT_ROLES)
    if principal.agency not in agency_codes(project):
        raise forbidden("An agency sees only the projects it takes part in.")


def require_plan_reader(principal: Principal | None, plan: dict[str, Any]) -> None:
    """Scorecards of approved plans are public; of drafts, for authenticated participants only."""
    if plan.get("approved_version_id"):
        return
    require_role(principal or Principal("anonymous"), AGENCY, *OVERSIGHT_ROLES)
