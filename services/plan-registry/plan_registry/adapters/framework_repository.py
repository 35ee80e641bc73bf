"""External frameworks and their nodes (the National Strategy and the like), and which of their
nodes plan versions link to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow

from plan_registry.adapters.tables import framework_nodes, frameworks, node_alignments


def _framework_dict(row: Any, nodes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": row.code, "kind": row.kind, "name": {"th": row.name_th, "en": row.name_en},
                           "revision": row.revision}
    if nodes is not None:
        out["nodes"] = nodes
    return out


class FrameworkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self) -> list[dict[str, Any]]:
        rows = (await self.session.execute(select(frameworks).order_by(frameworks.c.code))).all()
        return [_framework_dict(r) for r in rows]

    async def get(self, code: str) -> dict[str, Any] | None:
        row = (await self.session.execute(select(frameworks).where(frameworks.c.code == code))).first()
        if row is None:
            return None
        nodes = (await self.session.execute(
            select(framework_nodes).where(framework_nodes.c.framework_code == code)
            .order_by(framework_nodes.c.position))).all()
        return _framework_dict(row, [
            {"code": n.code, "parent_code": n.parent_code, "name": {"th": n.name_th, "en": n.name_en}} for n in nodes
        ])

    async def lock(self, code: str) -> None:
        """Replacements of one framework take turns (a row lock; SQLite locks the file anyway)."""
        await self.session.execute(select(frameworks.c.code).where(frameworks.c.code == code).with_for_update())

    async def replace(self, framework: dict[str, Any]) -> None:
        """Write ``framework`` whole (its nodes in the order given), one revision on from the last."""
        session, code = self.session, framework["code"]
        current = await session.scalar(select(frameworks.c.revision).where(frameworks.c.code == code))
        values = {"kind": framework["kind"], "name_th": framework["name"]["th"], "name_en": framework["name"]["en"],
                  "updated_at": utcnow()}
        if current is None:
            await session.execute(insert(frameworks).values(code=code, revision=1, **values))
        else:
            await session.execute(update(frameworks).where(frameworks.c.code == code)
                                  .values(revision=current + 1, **values))
            await session.execute(delete(framework_nodes).where(framework_nodes.c.framework_code == code))
        await session.execute(insert(framework_nodes), [
            {"framework_code": code, "code": n["code"], "parent_code": n.get("parent_code"), "position": i,
             "name_th": n["name"]["th"], "name_en": n["name"]["en"]}
            for i, n in enumerate(framework["nodes"])
        ])

    async def linked_codes(self, code: str) -> set[str]:
        """Codes of the framework's nodes some plan version links to."""
        return set((await self.session.scalars(select(node_alignments.c.framework_node_code).distinct().where(
            node_alignments.c.framework_code == code))).all())

    async def codes_known(self, framework_codes: set[str]) -> set[str]:
        if not framework_codes:
            return set()
        return set((await self.session.scalars(select(frameworks.c.code).where(
            frameworks.c.code.in_(sorted(framework_codes))))).all())

    async def nodes_known(self, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which (framework code, node code) pairs exist."""
        if not pairs:
            return set()
        rows = (await self.session.execute(select(framework_nodes.c.framework_code, framework_nodes.c.code).where(
            tuple_(framework_nodes.c.framework_code, framework_nodes.c.code).in_(sorted(pairs))))).all()
        return {(r.framework_code, r.code) for r in rows}

    async def trees(self, framework_codes: set[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """framework code -> node code -> {parent_code, name}: what finding a link's goal walks."""
        if not framework_codes:
            return {}
        rows = (await self.session.execute(select(framework_nodes).where(
            framework_nodes.c.framework_code.in_(sorted(framework_codes))))).all()
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for r in rows:
            out.setdefault(r.framework_code, {})[r.code] = {
                "parent_code": r.parent_code, "name": {"th": r.name_th, "en": r.name_en}}
        return out
