"""Observations (ข้อสังเกต): open -> responded -> accepted | rejected -> closed.

An observation is answered once the secretariat responded to it or the body settled it; a
revision cannot be submitted while an observation on the version it revises is still open.
"""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import BODY_MEMBER, SECRETARIAT, Principal, require_role
from dgplan_shared.errors import conflict, forbidden

ANSWERED = ("responded", "accepted", "rejected", "closed")
RESPONDABLE = ("open", "responded")
RESOLVABLE = ("responded",)
CLOSABLE = ("responded", "accepted", "rejected")


def require_status(obs: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if obs["status"] not in allowed:
        slug = "observation-closed" if obs["status"] == "closed" else "observation-state"
        raise conflict(slug, f"Cannot {action} an observation that is {obs['status']}.", observation_status=obs["status"])


def require_raiser(principal: Principal, body: str, action: str = "raise") -> None:
    """The secretariat, or a member of the body the observation is (to be) raised by."""
    if principal.has(SECRETARIAT):
        return
    require_role(principal, BODY_MEMBER)
    if not principal.member_of(body):
        raise forbidden(f"Only members of {body} {action} its observations.")
