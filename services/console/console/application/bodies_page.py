"""Queries and use cases of the bodies page: every body with its members (names, offices) and
decision rule; one member's current record with its ETag, changed (office, or removed) with
If-Match of what the operator saw; a member added with the form's Idempotency-Key."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from console.adapters.gateway_client import GatewayClient
from console.domain.quorum import needed_for_quorum

OFFICES = ("chair", "secretary", "member")
# The order a reader expects: the committee, its subcommittee, then the bodies after it in the approval path.
KIND_ORDER = ("committee", "subcommittee", "council", "cabinet", "secretariat")


@dataclass(frozen=True)
class BodyView:
    body: dict[str, Any]
    members: list[dict[str, Any]]  # active, chair and secretary first
    former: list[dict[str, Any]]  # no longer active (kept by the API, shown apart)
    quorum_needed: int
    parent_name: dict[str, str] | None

    @property
    def code(self) -> str:
        return str(self.body["code"])


def _body_path(code: str, subject: str | None = None) -> str:
    """The API path of a body (or one member): codes and subjects from the address stay one segment."""
    path = f"/api/v1/governance/bodies/{quote(code, safe='')}"
    return f"{path}/members/{quote(subject, safe='')}" if subject is not None else path


def office_order(member: dict[str, Any]) -> tuple[int, str]:
    role = member.get("role")
    return (OFFICES.index(role) if role in OFFICES else len(OFFICES), member.get("name") or member["subject"])


def body_view(body: dict[str, Any], names: dict[str, dict[str, str]]) -> BodyView:
    members = body.get("members", [])
    active = sorted((m for m in members if m.get("active")), key=office_order)
    former = sorted((m for m in members if not m.get("active")), key=office_order)
    parent = body.get("parent_code")
    return BodyView(body, active, former, needed_for_quorum(body["rule"], len(active)) if active else 0,
                    names.get(parent) if parent else None)


def in_reading_order(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(body: dict[str, Any]) -> tuple[int, str]:
        kind = body.get("kind")
        return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), body["code"])

    return sorted(bodies, key=key)


async def all_bodies(gateway: GatewayClient) -> list[BodyView]:
    bodies = await gateway.all_items("/api/v1/governance/bodies")
    names = {b["code"]: b["name"] for b in bodies}
    return [body_view(b, names) for b in in_reading_order(bodies)]


async def one_body(gateway: GatewayClient, code: str) -> BodyView:
    body, bodies = await asyncio.gather(
        gateway.get(_body_path(code)), gateway.all_items("/api/v1/governance/bodies")
    )
    return body_view(body, {b["code"]: b["name"] for b in bodies})


@dataclass(frozen=True)
class MemberRecord:
    body: dict[str, Any]
    member: dict[str, Any]
    etag: str | None  # what the change form sends back as If-Match


async def member_record(gateway: GatewayClient, code: str, subject: str) -> MemberRecord:
    body, (member, etag) = await asyncio.gather(
        gateway.get(_body_path(code)),
        gateway.get_tagged(_body_path(code, subject)),
    )
    return MemberRecord(body, member, etag)


@dataclass(frozen=True)
class ChangeMember:
    body: str
    subject: str
    etag: str
    role: str | None = None
    active: bool | None = None


async def change_member(command: ChangeMember, gateway: GatewayClient) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if command.role is not None:
        changes["role"] = command.role
    if command.active is not None:
        changes["active"] = command.active
    return await gateway.patch(_body_path(command.body, command.subject), changes, command.etag)


@dataclass(frozen=True)
class AddMember:
    body: str
    subject: str
    name: str
    role: str
    idempotency_key: str


async def add_member(command: AddMember, gateway: GatewayClient) -> dict[str, Any]:
    sent: dict[str, Any] = {"subject": command.subject.strip(), "role": command.role}
    if command.name.strip():
        sent["name"] = command.name.strip()
    return await gateway.post(f"{_body_path(command.body)}/members", sent, command.idempotency_key)
