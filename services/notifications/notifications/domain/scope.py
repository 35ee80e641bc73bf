"""Whose an event is: an agency's subscription gets its own agency's events and the public ones,
never another agency's; an endpoint without an agency (the secretariat's, an operator's) gets all.

An event is public when it announces something the plan publishes anyway: a plan version
approved, a round opened, a round's results published. Otherwise it belongs to the agencies it
names (``agency``, ``lead_agency``) or, when it names only a project or a request, to the agency
the read models know for it. An event that names no agency and is not public goes to oversight
endpoints only: unknown is treated as private.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PUBLIC_TYPES = frozenset({
    "dgplan.plan-registry.plan.version-approved.v1",
    "dgplan.gateway.plan-approval.approved.v1",
    "dgplan.budget-ledger.screening.round-opened.v1",
})
RESULTS_PUBLISHED = "dgplan.budget-ledger.screening.round-closed.v1"  # public once ``published`` is true


@dataclass(frozen=True)
class Audience:
    public: bool
    agencies: frozenset[str]

    def reaches(self, endpoint_agency: str | None) -> bool:
        return endpoint_agency is None or self.public or endpoint_agency in self.agencies


def audience(event_type: str, data: dict[str, Any], project_agency: str | None = None,
             request_agency: str | None = None) -> Audience:
    """``project_agency``/``request_agency``: the lead agency the read models hold for the event's
    ``project_id``/``request_id`` (None when unknown or absent)."""
    if event_type in PUBLIC_TYPES or (event_type == RESULTS_PUBLISHED and data.get("published") is True):
        return Audience(True, frozenset())
    agencies = {value for key in ("agency", "lead_agency") if isinstance(value := data.get(key), str) and value}
    agencies.update(value for value in (project_agency, request_agency) if value)
    return Audience(False, frozenset(agencies))
