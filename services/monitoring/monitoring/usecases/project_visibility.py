"""Which projects a caller sees in monitoring's plan-wide views (scorecards, reports, indicators).

Monitoring hears of a project as soon as an agency proposes it in a draft version, but the
registry keeps a draft's content from the public and from other agencies until that version is
approved. The plan-wide views follow the registry's rule, as its project list does:

- ``approved`` (the default for the public and for agencies): the projects of the plan's approved
  version, as the last ``plan.version-approved`` event listed them;
- ``latest`` (the default for oversight roles): every project monitoring knows; an agency asking
  for it sees the approved projects plus the ones it takes part in, nobody else's proposals.

Each project in a view says whether it is in the approved version, so a mixed view is never
mistaken for the approved plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.identity import AGENCY, Principal

from monitoring.api.common import agency_codes, sees_everything
from monitoring.db.tables import rm_approved_projects, rm_projects

Version = Literal["approved", "latest"]


@dataclass(frozen=True)
class ProjectScope:
    version: Version
    approved_ids: frozenset[str]
    everything: bool  # oversight asking for the latest: nothing is hidden
    own_ids: frozenset[str]  # projects the caller's agency takes part in (only with ``latest``)

    def shows(self, project_id: str) -> bool:
        return self.everything or project_id in self.approved_ids or project_id in self.own_ids

    def in_approved_version(self, project_id: str) -> bool:
        return project_id in self.approved_ids

    def indicator_filter(self, link_type: Any, link_id: Any) -> ColumnElement[bool] | None:
        """SQL condition keeping indicators whose project the caller may see (None: keep all)."""
        if self.everything:
            return None
        return or_(link_type != "project", link_id.in_(sorted(self.approved_ids | self.own_ids)))


async def approved_project_ids(session: AsyncSession, plan_id: str | None = None) -> frozenset[str]:
    query = select(rm_approved_projects.c.project_id)
    if plan_id is not None:
        query = query.where(rm_approved_projects.c.plan_id == plan_id)
    return frozenset((await session.scalars(query)).all())


async def _own_project_ids(session: AsyncSession, agency: str) -> frozenset[str]:
    # A plan has tens of projects and agencies are a JSON list: filter here, not in SQL.
    rows = (await session.execute(
        select(rm_projects.c.project_id, rm_projects.c.lead_agency, rm_projects.c.agencies))).mappings()
    return frozenset(r["project_id"] for r in rows if agency in agency_codes(dict(r)))


async def project_scope(
    session: AsyncSession, principal: Principal | None, version: Version | None = None, plan_id: str | None = None
) -> ProjectScope:
    """What ``principal`` sees of the projects (of one plan, or of all plans)."""
    oversight = principal is not None and sees_everything(principal)
    agency = principal.agency if principal is not None and principal.has(AGENCY) else None
    chosen: Version = version or ("latest" if oversight else "approved")
    if not (oversight or agency):
        chosen = "approved"  # the public has nothing beyond the approved version: say so
    approved = await approved_project_ids(session, plan_id)
    own: frozenset[str] = frozenset()
    if chosen == "latest" and not oversight and agency:
        own = await _own_project_ids(session, agency)
    return ProjectScope(chosen, approved, everything=oversight and chosen == "latest", own_ids=own)


async def indicator_scope(session: AsyncSession, principal: Principal | None) -> ProjectScope:
    """Indicators linked to a project: oversight sees all; others those of approved projects and,
    for an agency, of projects it takes part in (its own drafts' indicators are its business)."""
    return await project_scope(session, principal, "latest")
