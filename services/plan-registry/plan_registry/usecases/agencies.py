"""Agencies: code, Thai and English names, parent ministry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError, invalid, not_found

from plan_registry.db.tables import agencies
from plan_registry.usecases.access import require_editor


def agency_dict(row: Any) -> dict[str, Any]:
    return {"code": row.code, "name": {"th": row.name_th, "en": row.name_en}, "parent_code": row.parent_code}


async def get_agency(uow: UnitOfWork, code: str) -> dict[str, Any]:
    row = (await uow.session.execute(select(agencies).where(agencies.c.code == code))).first()
    if row is None:
        raise not_found("agency", code)
    return agency_dict(row)


async def _check_parent(uow: UnitOfWork, code: str, parent: str | None) -> None:
    if parent is None:
        return
    seen = {code}
    current: str | None = parent
    while current is not None:
        if current in seen:
            raise invalid("parent_code", "the chain of parent agencies would make a cycle")
        seen.add(current)
        row = (await uow.session.execute(select(agencies.c.parent_code).where(agencies.c.code == current))).first()
        if row is None:
            raise invalid("parent_code", f"unknown agency {current!r}")
        current = row.parent_code


async def create_agency(uow: UnitOfWork, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    require_editor(principal)
    if (await uow.session.execute(select(agencies.c.code).where(agencies.c.code == body["code"]))).first():
        raise ProblemError(409, "duplicate-code", "Duplicate code", f"code: agency {body['code']!r} exists",
                           errors=[{"field": "code", "message": "already registered"}])
    await _check_parent(uow, body["code"], body.get("parent_code"))
    await uow.session.execute(
        insert(agencies).values(code=body["code"], name_th=body["name"]["th"], name_en=body["name"]["en"],
                                parent_code=body.get("parent_code"), created_at=utcnow())
    )
    return await get_agency(uow, body["code"])


async def update_agency(uow: UnitOfWork, principal: Principal, code: str, patch: dict[str, Any]) -> dict[str, Any]:
    require_editor(principal)
    current = await get_agency(uow, code)
    merged = {**current, **patch}
    await _check_parent(uow, code, merged.get("parent_code"))
    await uow.session.execute(
        update(agencies).where(agencies.c.code == code).values(
            name_th=merged["name"]["th"], name_en=merged["name"]["en"], parent_code=merged.get("parent_code")
        )
    )
    return await get_agency(uow, code)
