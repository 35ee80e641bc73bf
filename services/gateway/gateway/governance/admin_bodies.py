"""Use cases for operators: create and change bodies and their members (each audited)."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError, conflict, invalid, not_found
from dgplan_shared.service import Runtime
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_bodies, gov_members
from gateway.governance import idempotency, store
from gateway.governance.rules import DecisionRule
from gateway.governance.views import body_etag, body_view, etag, member_view

OPERATOR_AS = "operator"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def check_rule(rule: dict[str, Any]) -> dict[str, Any]:
    try:
        return DecisionRule.from_json(rule).to_json()
    except (ValueError, ZeroDivisionError, KeyError, TypeError) as exc:
        raise invalid("rule", str(exc)) from exc


def check_if_match(if_match: str | None, current: str) -> None:
    if if_match is None:
        raise ProblemError(428, "precondition-required", "If-Match required", "Send If-Match with the ETag you read.")
    if if_match.strip() not in (current, "*"):
        raise ProblemError(412, "precondition-failed", "Precondition failed", "The resource changed since you read it.")


async def _members(session, code: str) -> list[dict[str, Any]]:
    rows = await session.execute(select(gov_members).where(gov_members.c.body_code == code).order_by(gov_members.c.subject))
    return [dict(r) for r in rows.mappings()]


async def _parent_exists(session, parent: str | None) -> None:
    if parent is not None:
        found = (await session.execute(select(gov_bodies.c.code).where(gov_bodies.c.code == parent))).first()
        if found is None:
            raise invalid("parent_code", f"no body {parent}")


async def create_body(runtime: Runtime, principal: Principal, key: str, request: dict[str, Any]) -> tuple[int, dict]:
    print_ = idempotency.fingerprint("create-body", request)
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        stored = await idempotency.replay(session, principal.subject, key, print_)
        if stored is not None:
            return stored
        if (await session.execute(select(gov_bodies.c.code).where(gov_bodies.c.code == request["code"]))).first():
            raise conflict("body-exists", f"a body {request['code']} exists already")
        await _parent_exists(session, request.get("parent_code"))
        row = {
            "code": request["code"],
            "name_th": _nfc(request["name"]["th"]),
            "name_en": _nfc(request["name"]["en"]),
            "kind": request["kind"],
            "parent_code": request.get("parent_code"),
            "rule": check_rule(request["rule"]),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        await session.execute(insert(gov_bodies).values(**row))
        await audit.append(
            session, actor=principal.subject, acting_as=OPERATOR_AS, action="body-created",
            target=f"body:{row['code']}", payload=body_view(row), at=now,
        )
        response = body_view(row, [])
        await idempotency.remember(session, principal.subject, key, print_, 201, response)
        try:
            await uow.commit()
        except IntegrityError as exc:
            raise conflict("body-exists", f"a body {request['code']} exists already") from exc
    return 201, response


async def update_body(
    runtime: Runtime, principal: Principal, code: str, if_match: str | None, changes: dict[str, Any]
) -> tuple[dict, str]:
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        body = await store.get_body(session, code)
        members = await _members(session, code)
        check_if_match(if_match, body_etag(body, members))
        values: dict[str, Any] = {}
        if "name" in changes:
            values.update(name_th=_nfc(changes["name"]["th"]), name_en=_nfc(changes["name"]["en"]))
        if "rule" in changes:
            values["rule"] = check_rule(changes["rule"])
        if "parent_code" in changes:
            if changes["parent_code"] == code:
                raise invalid("parent_code", "a body cannot be its own parent")
            await _parent_exists(session, changes["parent_code"])
            values["parent_code"] = changes["parent_code"]
        if "kind" in changes:
            values["kind"] = changes["kind"]
        values.update(version=body["version"] + 1, updated_at=now)
        result = await session.execute(
            update(gov_bodies).where(gov_bodies.c.code == code, gov_bodies.c.version == body["version"]).values(**values)
        )
        if result.rowcount != 1:
            raise ProblemError(412, "precondition-failed", "Precondition failed", "The body changed meanwhile.")
        body = {**body, **values}
        await audit.append(
            session, actor=principal.subject, acting_as=OPERATOR_AS, action="body-changed", target=f"body:{code}",
            payload={k: v for k, v in changes.items()}, at=now,
        )
        await uow.commit()
    return body_view(body, members), body_etag(body, members)


async def add_member(
    runtime: Runtime, principal: Principal, code: str, key: str, request: dict[str, Any]
) -> tuple[int, dict]:
    print_ = idempotency.fingerprint(f"add-member:{code}", request)
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        stored = await idempotency.replay(session, principal.subject, key, print_)
        if stored is not None:
            return stored
        await store.get_body(session, code)
        found = await session.execute(
            select(gov_members.c.subject).where(gov_members.c.body_code == code, gov_members.c.subject == request["subject"])
        )
        if found.first():
            raise conflict("member-exists", f"{request['subject']} is already a member of {code}")
        if request["role"] == "chair" and "chair" in (await store.active_members(session, code)).values():
            raise conflict("chair-exists", f"{code} already has an active chair")
        row = {
            "body_code": code, "subject": request["subject"], "role": request["role"], "active": True,
            "version": 1, "created_at": now, "updated_at": now,
        }
        await session.execute(insert(gov_members).values(**row))
        await audit.append(
            session, actor=principal.subject, acting_as=OPERATOR_AS, action="member-added",
            target=f"body:{code}", decision=request["role"], payload=member_view(row), at=now,
        )
        response = member_view(row)
        await idempotency.remember(session, principal.subject, key, print_, 201, response)
        await uow.commit()
    return 201, response


async def update_member(
    runtime: Runtime, principal: Principal, code: str, subject: str, if_match: str | None, changes: dict[str, Any]
) -> tuple[dict, str]:
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        row = (
            await session.execute(
                select(gov_members).where(gov_members.c.body_code == code, gov_members.c.subject == subject)
            )
        ).mappings().first()
        if row is None:
            raise not_found("member", f"{subject} of {code}")
        member = dict(row)
        check_if_match(if_match, etag("member", f"{code}/{subject}", member["version"]))
        values = {k: changes[k] for k in ("role", "active") if k in changes}
        becomes_chair = values.get("role", member["role"]) == "chair" and values.get("active", member["active"])
        if becomes_chair and not (member["role"] == "chair" and member["active"]):
            chairs = [s for s, r in (await store.active_members(session, code)).items() if r == "chair" and s != subject]
            if chairs:
                raise conflict("chair-exists", f"{code} already has an active chair ({chairs[0]})")
        values.update(version=member["version"] + 1, updated_at=now)
        await session.execute(
            update(gov_members).where(gov_members.c.body_code == code, gov_members.c.subject == subject).values(**values)
        )
        member = {**member, **values}
        await audit.append(
            session, actor=principal.subject, acting_as=OPERATOR_AS, action="member-changed",
            target=f"body:{code}", payload=member_view(member), at=now,
        )
        await uow.commit()
    return member_view(member), etag("member", f"{code}/{subject}", member["version"])
