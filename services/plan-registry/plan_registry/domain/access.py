"""Who may read and change what.

- secretariat and operator create and edit plans and any node;
- an agency (role ``agency``) registers projects it leads and changes only projects it leads;
- approved content is public; other versions are for the secretariat, operators, members of a
  governance body and services; an agency sees, in those, only the nodes it holds a role on.
"""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT, SERVICE, Principal, forbidden, require_role, unauthenticated

EDITORS = (SECRETARIAT, OPERATOR)
PRIVILEGED_READERS = (SECRETARIAT, OPERATOR, BODY_MEMBER, SERVICE)


def require_editor(principal: Principal) -> None:
    require_role(principal, *EDITORS)


def is_editor(principal: Principal | None) -> bool:
    return principal is not None and principal.has(*EDITORS)


def is_privileged_reader(principal: Principal | None) -> bool:
    return principal is not None and principal.has(*PRIVILEGED_READERS)


def leads(principal: Principal, node: dict[str, Any]) -> bool:
    return any(r["role"] == "lead" and principal.acts_for_agency(r["agency"]) for r in node.get("roles", []))


def require_project_writer(principal: Principal, node: dict[str, Any]) -> None:
    """Editors change any project; an agency only one it leads (after the change, too)."""
    if is_editor(principal):
        return
    require_role(principal, *EDITORS, AGENCY)
    if not leads(principal, node):
        raise forbidden("An agency may register or change only projects it leads.")


def version_visibility(principal: Principal | None, version_status: str) -> str:
    """'all' to see every node, 'own' to see nodes the caller's agency holds a role on."""
    if version_status == "approved" or is_privileged_reader(principal):
        return "all"
    if principal is not None and principal.has(AGENCY) and principal.agency:
        return "own"
    if principal is None or principal.roles <= {"public"}:
        raise unauthenticated("Only approved plan content is public.")
    raise forbidden("This version is not approved; it is not visible to you.")


def visible_nodes(principal: Principal | None, version_status: str, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if version_visibility(principal, version_status) == "all":
        return nodes
    agency = principal.agency if principal else None
    return [n for n in nodes if any(r["agency"] == agency for r in n.get("roles", []))]
