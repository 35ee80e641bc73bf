"""Nodes of a version (with their roles and links) in API shape: load, write, search."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer, Text, and_, case, cast, delete, exists, false, func, insert, literal, literal_column, or_, select, tuple_,
    union_all, update,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.money import money_str
from dgplan_shared.errors import not_found
from dgplan_shared.text import search_key

from plan_registry.adapters.tables import node_alignments, node_links, node_roles, nodes, plan_versions, plans
from plan_registry.domain.alignment import sorted_links
from plan_registry.domain.canonical import canonical_json
from plan_registry.domain.hierarchy import NODE_TYPES
from plan_registry.domain.node_rules import Shape
from plan_registry.domain.search_text import name_tokens, query_tokens

LINK_FIELDS = {"focus_area": "focus_area_ids", "target": "target_ids"}
SORTS = {"code": nodes.c.code, "name.th": nodes.c.name_th, "name.en": nodes.c.name_en}
# Ordered by how well a node matches ``q``: its sort key is (substring missed 0/1, minus the word
# score, match position, Thai name length, code) and then (version id, node id), as with the others.
RELEVANCE = "relevance"
RELEVANCE_KEY_TYPES: tuple[type, ...] = (int, int, int, int, str)
_SIMPLE = literal_column("'simple'")  # the text-search configuration with no stemming or stop words
_RANK_SCALE = 1_000_000  # ts_rank is a float; the cursor carries it as an integer, compared exactly
# No word matched: a cast parameter, neither a bare one (asyncpg cannot type it) nor an inline 0
# (ORDER BY takes an integer constant as a column number).
_ZERO = cast(literal(0), Integer)
# How far ``ancestry`` and ``subtree`` walk: a hierarchy is at most five deep (plan to project).
_MAX_DEPTH = 32


def money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


@dataclass
class NodeFilters:
    node_type: str | None = None
    strategy: str | None = None  # id or code
    agency: str | None = None
    role: str | None = None
    focus_area: str | None = None  # id or code
    status: str | None = None
    fiscal_year: int | None = None
    q: str | None = None
    only_agency: str | None = None  # visibility: nodes this agency holds a role on


def _node_from_row(
    row: Any, roles: list[dict[str, str]], links: dict[str, list[str]], types: dict[str, str],
    alignments: list[dict[str, str]],
) -> dict[str, Any]:
    declared = None
    if row.node_type in ("plan", "strategy"):
        declared = {
            "measures": row.declared_measures,
            "work_plans": row.declared_work_plans,
            "projects": row.declared_projects,
        }
    node = {
        "id": row.node_id,
        "node_type": row.node_type,
        "parent_id": row.parent_id,
        "parent_type": types.get(row.parent_id) if row.parent_id else None,
        "strategy_id": row.strategy_id,
        "code": row.code,
        "position": row.position,
        "name": {"th": row.name_th, "en": row.name_en},
        "budget_framework": money(row.budget_framework),
        "start_fy": row.start_fy,
        "end_fy": row.end_fy,
        "status": row.status,
        "declared": declared,
        "attributes": json.loads(row.attributes),
        "roles": roles,
    }
    for link_type, field in LINK_FIELDS.items():
        node[field] = links.get(link_type, [])
    node["contributes_to"] = alignments
    node["continues_project_id"] = row.continues_project_id
    return node


def _alignment_rows(version_id: str, node: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"version_id": version_id, "node_id": node["id"], "framework_code": a["framework"],
         "framework_node_code": a["node"], "strength": a["strength"], "rationale": a["rationale"]}
        for a in node.get("contributes_to") or []
    ]


def _declared_columns(declared: dict[str, Any] | None) -> dict[str, Any]:
    declared = declared or {}
    return {
        "declared_measures": declared.get("measures"),
        "declared_work_plans": declared.get("work_plans"),
        "declared_projects": declared.get("projects"),
    }


def node_row_values(version_id: str, node: dict[str, Any]) -> dict[str, Any]:
    bf = node.get("budget_framework")
    return {
        "version_id": version_id,
        "node_id": node["id"],
        "node_type": node["node_type"],
        "parent_id": node.get("parent_id"),
        "strategy_id": node.get("strategy_id"),
        "code": node["code"],
        "position": node.get("position") or 0,
        "name_th": node["name"]["th"],
        "name_en": node["name"]["en"],
        "name_tokens": name_tokens(node["name"]["th"], node["name"]["en"]),
        "budget_framework": None if bf is None else Decimal(bf),
        "start_fy": node.get("start_fy"),
        "end_fy": node.get("end_fy"),
        "status": node.get("status"),
        **_declared_columns(node.get("declared")),
        "attributes": canonical_json(node.get("attributes") or {}),
        "continues_project_id": node.get("continues_project_id"),
    }


def _by_id_or_code(column, value: str):  # type: ignore[no-untyped-def]
    other = nodes.alias("ref")
    return or_(column == value, column.in_(select(other.c.node_id).where(other.c.code == value)))


def _contains(column, needle: str):  # type: ignore[no-untyped-def]
    # Stored text is normalized on the way in (Strict); the term is normalized the same way here, so
    # a search for "ทำ" finds text typed as NIKHAHIT + SARA AA. lower() stands in for case folding
    # (Thai has no case; Latin titles fold the same on both backends).
    return func.lower(column).contains(needle, autoescape=True)


def _words(dialect: str, words: list[str]):  # type: ignore[no-untyped-def]
    """(every query word among the node's words, how well they match as an integer score).

    PostgreSQL: the 'simple' tsvector of ``name_tokens`` (its GIN index, migration 0007) must hold
    every word, and ``ts_rank`` of any of them (normalized by length) scores. SQLite has no text
    search: a word is present when `` word `` occurs in the space-padded tokens, and the score is
    how many of the query's words are present.
    """
    if dialect == "postgresql":
        vector = func.to_tsvector(_SIMPLE, nodes.c.name_tokens)
        every = func.plainto_tsquery(_SIMPLE, " ".join(words))
        # The measured ranking (bench/thai_search.py): the OR of the words, so a partial match scores.
        some = cast(func.replace(cast(every, Text), " & ", " | "), TSQUERY)
        return vector.op("@@")(every), cast(func.ts_rank(vector, some, 1) * literal_column(str(_RANK_SCALE)), Integer)
    padded = literal(" ") + nodes.c.name_tokens + literal(" ")
    present = [padded.contains(f" {w} ", autoescape=True) for w in words]
    return and_(*present), sum((case((p, 1), else_=0) for p in present), _ZERO)


class NodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load_nodes(
        self, version_id: str, node_ids: list[str] | None = None, parent_types: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Nodes of one version (all, or the given ids), ordered by type rank, position, code.
        ``parent_types``: node id -> type of parents the caller knows already (not read again)."""
        session = self.session
        query = select(nodes).where(nodes.c.version_id == version_id)
        role_q = select(node_roles).where(node_roles.c.version_id == version_id)
        link_q = select(node_links).where(node_links.c.version_id == version_id)
        alignment_q = select(node_alignments).where(node_alignments.c.version_id == version_id)
        if node_ids is not None:
            query = query.where(nodes.c.node_id.in_(node_ids))
            role_q = role_q.where(node_roles.c.node_id.in_(node_ids))
            link_q = link_q.where(node_links.c.node_id.in_(node_ids))
            alignment_q = alignment_q.where(node_alignments.c.node_id.in_(node_ids))
        rows = (await session.execute(query)).all()
        roles: dict[str, list[dict[str, Any]]] = {}
        for r in (await session.execute(role_q)).all():
            role: dict[str, Any] = {"agency": r.agency_code, "role": r.role}
            if r.demo:
                role["demo"] = True  # only the demo layer's roles say so: the plan's own stay {agency, role}
            roles.setdefault(r.node_id, []).append(role)
        links: dict[str, dict[str, list[str]]] = {}
        for r in (await session.execute(link_q)).all():
            links.setdefault(r.node_id, {}).setdefault(r.link_type, []).append(r.target_id)
        alignments: dict[str, list[dict[str, str]]] = {}
        for r in (await session.execute(alignment_q)).all():
            alignments.setdefault(r.node_id, []).append({
                "framework": r.framework_code, "node": r.framework_node_code, "strength": r.strength,
                "rationale": r.rationale})
        # The parents' types (``parent_type``): of the loaded rows themselves when the whole version
        # is loaded, else of just the parents named (one page costs one page, however large the version).
        types = {**(parent_types or {}), **{r.node_id: r.node_type for r in rows}}
        parents = {r.parent_id for r in rows if r.parent_id is not None and r.parent_id not in types}
        if parents:
            types.update((await session.execute(select(nodes.c.node_id, nodes.c.node_type).where(
                nodes.c.version_id == version_id, nodes.c.node_id.in_(sorted(parents))))).all())
        out = []
        for row in rows:
            node_roles_sorted = sorted(roles.get(row.node_id, []), key=lambda x: (x["role"], x["agency"]))
            node_links_sorted = {k: sorted(v) for k, v in links.get(row.node_id, {}).items()}
            out.append(_node_from_row(row, node_roles_sorted, node_links_sorted, types,
                                      sorted_links(alignments.get(row.node_id, []))))
        rank = {t: i for i, t in enumerate(NODE_TYPES)}
        out.sort(key=lambda n: (rank.get(n["node_type"], 99), n["position"], n["code"]))
        return out

    async def load_node(self, version_id: str, node_id: str, parent_types: dict[str, str] | None = None) -> dict[str, Any]:
        found = await self.load_nodes(version_id, [node_id], parent_types)
        if not found:
            raise not_found("node", node_id)
        return found[0]

    async def exists(self, version_id: str, node_id: str) -> bool:
        return await self.session.scalar(
            select(nodes.c.node_id).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id)
        ) is not None

    async def _walk(self, version_id: str, node_id: str, upwards: bool) -> Shape:
        """``node_id`` and the nodes above it (``upwards``) or below it, as a ``Shape`` (node id ->
        type, parent id, strategy id): one recursive query through the primary key or the parent
        index, whatever the size of the version; empty when the node is not in it. Bounded: a
        hierarchy is at most five deep, and a cycle (no write lets one in) stops at the bound."""
        columns = (nodes.c.node_id, nodes.c.node_type, nodes.c.parent_id, nodes.c.strategy_id)
        start = select(*columns, literal_column("0", Integer).label("depth")).where(
            nodes.c.version_id == version_id, nodes.c.node_id == node_id)
        walked = start.cte("walked", recursive=True)
        step = nodes.alias("step")
        joins = step.c.node_id == walked.c.parent_id if upwards else step.c.parent_id == walked.c.node_id
        walked = walked.union_all(
            select(step.c.node_id, step.c.node_type, step.c.parent_id, step.c.strategy_id,
                   (walked.c.depth + 1).label("depth"))
            .where(step.c.version_id == version_id, joins, walked.c.depth < _MAX_DEPTH)
        )
        rows = (await self.session.execute(select(walked).order_by(walked.c.depth))).all()
        return {r.node_id: (r.node_type, r.parent_id, r.strategy_id) for r in rows}

    async def ancestry(self, version_id: str, node_id: str | None) -> Shape:
        """``node_id`` and the nodes above it (its parent, the parent's parent...): what the rules
        of a node hung under ``node_id`` look at (its type, no cycle, its strategy)."""
        return {} if node_id is None else await self._walk(version_id, node_id, upwards=True)

    async def subtree(self, version_id: str, node_id: str) -> Shape:
        """``node_id`` and every node below it (what a move re-points)."""
        return await self._walk(version_id, node_id, upwards=False)

    async def shape_of(self, version_id: str, node_ids: set[str]) -> Shape:
        """The ``Shape`` of just the given nodes (those of them in the version)."""
        if not node_ids:
            return {}
        rows = (await self.session.execute(
            select(nodes.c.node_id, nodes.c.node_type, nodes.c.parent_id, nodes.c.strategy_id).where(
                nodes.c.version_id == version_id, nodes.c.node_id.in_(sorted(node_ids)))
        )).all()
        return {r.node_id: (r.node_type, r.parent_id, r.strategy_id) for r in rows}

    async def code_holder(self, version_id: str, code: str) -> dict[str, str]:
        """{code: id of the node holding it in the version}, or {} (through the unique index)."""
        holder = await self.session.scalar(
            select(nodes.c.node_id).where(nodes.c.version_id == version_id, nodes.c.code == code))
        return {} if holder is None else {code: holder}

    async def children(self, version_id: str, node_id: str) -> list[str]:
        """Ids of the nodes directly under ``node_id``, sorted."""
        return sorted((await self.session.scalars(select(nodes.c.node_id).where(
            nodes.c.version_id == version_id, nodes.c.parent_id == node_id))).all())

    async def is_linked_to(self, version_id: str, node_id: str) -> bool:
        """Whether any node of the version links to ``node_id`` (as its focus area or target)."""
        return await self.session.scalar(select(node_links.c.node_id).where(
            node_links.c.version_id == version_id, node_links.c.target_id == node_id).limit(1)) is not None

    async def lock_children_of(self, version_id: str, parent_id: str) -> None:
        """Serialize writers that number the children of ``parent_id`` (a row lock on the parent;
        SQLite's write lock is the whole file anyway). A parent that is not there locks nothing:
        the validation that follows refuses the write."""
        await self.session.execute(select(nodes.c.node_id).where(
            nodes.c.version_id == version_id, nodes.c.node_id == parent_id).with_for_update())

    async def first_taken_id(self, node_ids: list[str]) -> str | None:
        """One of ``node_ids`` that some version already uses, if any."""
        return await self.session.scalar(select(nodes.c.node_id).where(nodes.c.node_id.in_(node_ids)).limit(1))

    async def agencies_used(self, version_ids: list[str]) -> set[str]:
        """Agencies the plan's own roles name (the demo layer's are not plan content)."""
        return set((await self.session.scalars(select(node_roles.c.agency_code).where(
            node_roles.c.version_id.in_(version_ids), node_roles.c.demo == false()))).all())

    async def agency_holds_role(self, version_id: str, node_id: str | None, agency: str | None) -> bool:
        if node_id is None or agency is None:
            return False
        return await self.session.scalar(select(node_roles.c.node_id).where(
            node_roles.c.version_id == version_id, node_roles.c.node_id == node_id, node_roles.c.agency_code == agency,
        )) is not None

    async def insert(self, version_id: str, node: dict[str, Any]) -> None:
        await self.session.execute(insert(nodes).values(**node_row_values(version_id, node)))
        await self._add_roles_and_links(version_id, node)  # a new node has none to replace

    async def update(self, version_id: str, node: dict[str, Any]) -> None:
        await self.session.execute(
            update(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node["id"])
            .values(**node_row_values(version_id, node))
        )
        await self._replace_roles_and_links(version_id, node)

    async def rename(self, version_id: str, node_id: str, name: dict[str, str]) -> None:
        await self.session.execute(
            update(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id)
            .values(name_th=name["th"], name_en=name["en"], name_tokens=name_tokens(name["th"], name["en"]))
        )

    async def set_strategy_ids(self, version_id: str, wanted: dict[str, str | None]) -> None:
        for node_id, strategy_id in wanted.items():
            await self.session.execute(
                update(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id)
                .values(strategy_id=strategy_id)
            )

    async def _replace_roles_and_links(self, version_id: str, node: dict[str, Any]) -> None:
        session = self.session
        await session.execute(delete(node_roles).where(node_roles.c.version_id == version_id, node_roles.c.node_id == node["id"]))
        await session.execute(delete(node_links).where(node_links.c.version_id == version_id, node_links.c.node_id == node["id"]))
        await session.execute(delete(node_alignments).where(
            node_alignments.c.version_id == version_id, node_alignments.c.node_id == node["id"]))
        await self._add_roles_and_links(version_id, node)

    async def _add_roles_and_links(self, version_id: str, node: dict[str, Any]) -> None:
        session = self.session
        unique_roles: dict[tuple[str, str], bool] = {}
        for r in node.get("roles") or []:
            key = (r["agency"], r["role"])
            # The same role named by the plan and by the demo layer is the plan's.
            unique_roles[key] = unique_roles.get(key, True) and bool(r.get("demo"))
        if unique_roles:
            await session.execute(
                insert(node_roles),
                [{"version_id": version_id, "node_id": node["id"], "agency_code": a, "role": r, "demo": demo}
                 for (a, r), demo in sorted(unique_roles.items())],
            )
        rows = []
        for link_type, field in LINK_FIELDS.items():
            for target in sorted(set(node.get(field) or [])):
                rows.append({"version_id": version_id, "node_id": node["id"], "link_type": link_type, "target_id": target})
        if rows:
            await session.execute(insert(node_links), rows)
        alignment_rows = _alignment_rows(version_id, node)
        if alignment_rows:
            await session.execute(insert(node_alignments), alignment_rows)

    async def delete(self, version_id: str, node_id: str) -> None:
        session = self.session
        await session.execute(delete(node_roles).where(node_roles.c.version_id == version_id, node_roles.c.node_id == node_id))
        await session.execute(delete(node_links).where(node_links.c.version_id == version_id, node_links.c.node_id == node_id))
        await session.execute(delete(node_alignments).where(
            node_alignments.c.version_id == version_id, node_alignments.c.node_id == node_id))
        await session.execute(delete(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id))

    async def copy_version(self, from_version: str, to_version: str) -> None:
        await self.bulk_insert(to_version, await self.load_nodes(from_version))

    async def bulk_insert(self, to_version: str, content: list[dict[str, Any]]) -> None:
        """Four bulk inserts: a revision or an import of a large plan stays one quick transaction."""
        if not content:
            return
        session = self.session
        await session.execute(insert(nodes), [node_row_values(to_version, n) for n in content])
        roles = [
            {"version_id": to_version, "node_id": n["id"], "agency_code": r["agency"], "role": r["role"],
             "demo": bool(r.get("demo"))}
            for n in content for r in n["roles"]
        ]
        if roles:
            await session.execute(insert(node_roles), roles)
        links = [
            {"version_id": to_version, "node_id": n["id"], "link_type": link_type, "target_id": t}
            for n in content for link_type, field in LINK_FIELDS.items() for t in n[field]
        ]
        if links:
            await session.execute(insert(node_links), links)
        alignments = [row for n in content for row in _alignment_rows(to_version, n)]
        if alignments:
            await session.execute(insert(node_alignments), alignments)

    async def next_position(self, version_id: str, parent_id: str | None, node_type: str) -> int:
        q = select(func.max(nodes.c.position)).where(nodes.c.version_id == version_id, nodes.c.node_type == node_type)
        q = q.where(nodes.c.parent_id.is_(None) if parent_id is None else nodes.c.parent_id == parent_id)
        current = await self.session.scalar(q)
        return (current or 0) + 1

    async def project_location(self, project_id: str, which: str) -> tuple[str, str] | None:
        """(plan id, version id) of the plan whose ``which`` ('latest' | 'approved') version holds the project."""
        column = plans.c.latest_version_id if which == "latest" else plans.c.approved_version_id
        row = (await self.session.execute(
            select(plans.c.id, column.label("version_id"))
            .join(nodes, nodes.c.version_id == column)
            .where(nodes.c.node_id == project_id, nodes.c.node_type == "project")
        )).first()
        return None if row is None else (row.id, row.version_id)

    async def search(
        self, version_ids: list[str], f: NodeFilters, sort_key: str, descending: bool, limit: int,
        after: list[Any] | None,
    ) -> tuple[list[dict[str, Any]], Any]:
        """Up to ``limit + 1`` matching nodes in order (each with plan_id and version_id), and the
        sort key of each row (a list: one value, or RELEVANCE_KEY_TYPES' five), for the caller's
        cursor. ``after`` is (*sort key, version id, node id). ``sort_key`` RELEVANCE needs ``f.q``."""
        session = self.session
        key = SORTS.get(sort_key, nodes.c.code)
        query = select(nodes.c.version_id, nodes.c.node_id, key.label("sort_key")).where(nodes.c.version_id.in_(version_ids))
        if f.node_type:
            query = query.where(nodes.c.node_type == f.node_type)
        if f.strategy:
            query = query.where(_by_id_or_code(nodes.c.strategy_id, f.strategy))
        if f.status:
            query = query.where(nodes.c.status == f.status)
        if f.fiscal_year is not None:
            query = query.where(nodes.c.start_fy <= f.fiscal_year, nodes.c.end_fy >= f.fiscal_year)
        same_node = and_(node_roles.c.version_id == nodes.c.version_id, node_roles.c.node_id == nodes.c.node_id)
        if f.agency or f.role:
            conds = [same_node]
            if f.agency:
                conds.append(node_roles.c.agency_code == f.agency)
            if f.role:
                conds.append(node_roles.c.role == f.role)
            query = query.where(exists(select(node_roles.c.node_id).where(*conds)))
        if f.only_agency:
            query = query.where(exists(select(node_roles.c.node_id).where(same_node, node_roles.c.agency_code == f.only_agency)))
        if f.focus_area:
            query = query.where(exists(select(node_links.c.node_id).where(
                node_links.c.version_id == nodes.c.version_id, node_links.c.node_id == nodes.c.node_id,
                node_links.c.link_type == "focus_area", _by_id_or_code(node_links.c.target_id, f.focus_area),
            )))
        relevance: list[Any] = []
        if f.q:
            # Found by a substring of a name or the code (what the user sees), or by all its words
            # (typed apart or reordered): docs/benchmarks.md, "Thai search".
            needle = search_key(f.q)
            hit = or_(_contains(nodes.c.name_th, needle), _contains(nodes.c.name_en, needle),
                      _contains(nodes.c.code, needle))
            dialect = session.get_bind().dialect.name
            words = query_tokens(f.q)
            if words:
                every, score = _words(dialect, words)
                query = query.where(or_(hit, every))
            else:
                score = _ZERO
                query = query.where(hit)
            if sort_key == RELEVANCE:
                at = func.strpos if dialect == "postgresql" else func.instr
                where = [at(func.lower(c), needle) for c in (nodes.c.name_th, nodes.c.name_en, nodes.c.code)]
                position = case(*((w > 0, w) for w in where), else_=0)
                relevance = [case((hit, 0), else_=1), -score, position, func.length(nodes.c.name_th), nodes.c.code]
        if relevance:
            # Every part ascending (the score negated), so one row comparison continues the page.
            query = query.add_columns(*(c.label(f"relevance_{i}") for i, c in enumerate(relevance)))
            order = [*relevance, nodes.c.version_id, nodes.c.node_id]
            if after is not None:
                query = query.where(tuple_(*order) > tuple_(*after))
            query = query.order_by(*order).limit(limit + 1)
        else:
            if after is not None:
                c_key, c_version, c_node = after
                after_tie = tuple_(nodes.c.version_id, nodes.c.node_id) > tuple_(c_version, c_node)
                query = query.where(or_(key < c_key if descending else key > c_key, and_(key == c_key, after_tie)))
            ordered = (key.desc() if descending else key.asc(), nodes.c.version_id, nodes.c.node_id)
            if len(version_ids) > 1:
                # A page across plans (GET /projects): each version's first rows in order through its
                # own (version_id, code) index, then merged, rather than every matching row of every
                # version sorted for one page. The same rows, in the same order.
                branches = [query.where(nodes.c.version_id == v).order_by(*ordered).limit(limit + 1).subquery()
                            for v in version_ids]
                merged = union_all(*(select(b) for b in branches)).subquery()
                query = select(merged).order_by(
                    merged.c.sort_key.desc() if descending else merged.c.sort_key.asc(), merged.c.version_id,
                    merged.c.node_id)
            else:
                query = query.order_by(*ordered)
            query = query.limit(limit + 1)
        rows = (await session.execute(query)).all()
        versions_seen = list(dict.fromkeys(r.version_id for r in rows))
        plan_of = dict((await session.execute(
            select(plan_versions.c.id, plan_versions.c.plan_id).where(plan_versions.c.id.in_(versions_seen)))).all())
        loaded: dict[tuple[str, str], dict[str, Any]] = {}
        for version_id in versions_seen:
            ids = [r.node_id for r in rows if r.version_id == version_id]
            for n in await self.load_nodes(version_id, ids):
                loaded[(version_id, n["id"])] = {**n, "plan_id": plan_of[version_id], "version_id": version_id}
        width = len(relevance)
        keys = [[getattr(r, f"relevance_{i}") for i in range(width)] if width else [r.sort_key] for r in rows]
        return [loaded[(r.version_id, r.node_id)] for r in rows], keys
