"""Which versions can never change again, and who shares one reading of a version.

A version's content is frozen once it leaves ``draft``; its *status* keeps moving while it is under
governance (``submitted`` -> ``under_review`` -> a decision). Only once a decision has been taken
(``approved``, ``returned``, ``rejected``) or a revision took its place (``superseded``) do both
stay as they are: no use case moves a version out of these, nothing deletes a version or a plan,
and a version never changes plan. What such a version answers can therefore be built once and kept.
(The one writer of a settled version's nodes, `make run`'s demo layer, runs before the API serves.)
"""

from __future__ import annotations

from dgplan_contracts.identity import Principal

from plan_registry.domain.access import version_visibility

SETTLED = frozenset({"approved", "superseded", "returned", "rejected"})
EVERYONE = "all"


def is_settled(status: str) -> bool:
    return status in SETTLED


def is_public(status: str) -> bool:
    """Approved content is public: the same answer for every caller, anonymous or not."""
    return status == "approved"


def audience(principal: Principal | None, status: str) -> str:
    """Callers who see the same nodes of a version share one answer: everyone who sees all of it,
    or one agency (which sees only the nodes it holds a role on). Raises as ``version_visibility``
    does for a caller who may not read the version at all, so it is the access check too."""
    if version_visibility(principal, status) == "all":
        return EVERYONE
    return f"agency:{principal.agency if principal else ''}"
