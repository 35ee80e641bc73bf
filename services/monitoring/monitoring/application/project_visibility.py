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

from dgplan_contracts.identity import AGENCY, Principal
from monitoring.adapters.repositories import Repositories
from monitoring.domain.access import agency_codes

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

    def visible_projects(self) -> frozenset[str] | None:
        """The projects whose indicators the caller may see (None: all)."""
        return None if self.everything else self.approved_ids | self.own_ids


async def _own_project_ids(repos: Repositories, agency: str) -> frozenset[str]:
    # A plan has tens of projects and agencies are a JSON list: filter here, not in SQL.
    return frozenset(r["project_id"] for r in await repos.read_models.project_participants()
                     if agency in agency_codes(r))


async def project_scope(
    repos: Repositories, principal: Principal | None, version: Version | None = None, plan_id: str | None = None
) -> ProjectScope:
    """What ``principal`` sees of the projects (of one plan, or of all plans)."""
    oversight = principal is not None and principal.oversees
    agency = principal.agency if principal is not None and principal.has(AGENCY) else None
    chosen: Version = version or ("latest" if oversight else "approved")
    if not (oversight or agency):
        chosen = "approved"  # the public has nothing beyond the approved version: say so
    approved = await repos.read_models.approved_project_ids(plan_id)
    own: frozenset[str] = frozenset()
    if chosen == "latest" and not oversight and agency:
        own = await _own_project_ids(repos, agency)
    return ProjectScope(chosen, approved, everything=oversight and chosen == "latest", own_ids=own)


async def indicator_scope(repos: Repositories, principal: Principal | None) -> ProjectScope:
    """Indicators linked to a project: oversight sees all; others those of approved projects and,
    for an agency, of projects it takes part in (its own drafts' indicators are its business)."""
    return await project_scope(repos, principal, "latest")


async def projects_shown(repos: Repositories, plan_id: str, scope: ProjectScope) -> list[dict[str, Any]]:
    """The plan's projects the caller sees, each as the caller may see it: the approved version's
    wording for everybody, a draft's only for oversight and for the agencies taking part."""
    latest = await repos.read_models.projects_of_plan(plan_id)
    if scope.everything:
        return latest
    approved = await repos.read_models.approved_projects_of_plan(plan_id)
    if not scope.own_ids:
        return approved
    own = {p["project_id"]: p for p in latest if p["project_id"] in scope.own_ids}
    shown = [own.pop(p["project_id"], p) for p in approved] + list(own.values())
    order = {p["project_id"]: i for i, p in enumerate(latest)}
    return sorted(shown, key=lambda p: order.get(p["project_id"], len(order)))
