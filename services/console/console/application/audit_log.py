"""Query: one page of the audit log as an overseer reads it (who by name, what, when, on what),
filtered by who, what and which Bangkok days, paged with the API's cursor; and the chain's
verification, asked of the API on request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.domain.audit_view import bangkok_days

PAGE_SIZES = (10, 25, 50, 100)
PAGE_SIZE = 25
# The gateway's own writers: not people, so no roster names them; the page names them (message ids).
SYSTEM_ACTORS = {"governance-seed": "The system (seed data)", "governance-scheduler": "The system (deadline scheduler)"}


@dataclass(frozen=True)
class ReadAudit:
    who: str | None = None
    what: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    cursor: str | None = None
    verify: bool = False
    per_page: int = PAGE_SIZE


@dataclass(frozen=True)
class AuditPage:
    entries: list[dict[str, Any]]
    next_cursor: str | None
    people: dict[str, str]
    bodies: dict[str, dict[str, str]]
    verification: dict[str, Any] | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)  # (subject, name) the "who" filter offers

    def person(self, subject: str | None) -> str:
        """A name, a system writer's label (a message id the page translates), or the subject as it is."""
        key = subject or ""
        return self.people.get(key) or SYSTEM_ACTORS.get(key) or key


def api_params(query: ReadAudit) -> dict[str, Any]:
    """The API's filters for what the person chose (nothing chosen: no filter)."""
    limit = query.per_page if query.per_page in PAGE_SIZES else PAGE_SIZE
    params: dict[str, Any] = {"limit": limit, **bangkok_days(query.first_day, query.last_day).params()}
    if query.who:
        params["actor"] = query.who
    if query.what:
        params["action"] = query.what
    if query.cursor:
        params["cursor"] = query.cursor
    return params


def roster_names(bodies: list[dict[str, Any]], me: tuple[str, str]) -> dict[str, str]:
    """Subjects the page can name: the bodies' members (their roster name) and the person signed in."""
    names = {m["subject"]: m["name"] for b in bodies for m in b.get("members", []) if m.get("name")}
    subject, name = me
    if name:
        names[subject] = name
    return names


def who_choices(names: dict[str, str], chosen: str | None) -> list[tuple[str, str]]:
    """People by name, then the system's writers; a subject typed into the address stays choosable."""
    people = sorted(names.items(), key=lambda pair: pair[1])
    offered = people + [(s, label) for s, label in SYSTEM_ACTORS.items() if s not in names]
    if chosen and chosen not in {s for s, _ in offered}:
        offered.append((chosen, chosen))
    return offered


async def handle(query: ReadAudit, gateway: GatewayClient, me: tuple[str, str]) -> AuditPage:
    async def verification() -> dict[str, Any] | None:
        return await gateway.get("/api/v1/audit/verify") if query.verify else None

    async def bodies() -> list[dict[str, Any]]:
        # Names are a courtesy: if the bodies cannot be read, subjects still show.
        try:
            return await gateway.all_items("/api/v1/governance/bodies")
        except ApiProblem:
            return []

    page, verified, found = await asyncio.gather(
        gateway.get("/api/v1/audit/entries", api_params(query)), verification(), bodies()
    )
    names = roster_names(found, me)
    return AuditPage(
        entries=page["items"], next_cursor=page.get("next_cursor"), people=names,
        bodies={b["code"]: b["name"] for b in found}, verification=verified,
        choices=who_choices(names, query.who),
    )
