"""The priority ranking's SQL: a round's criteria, the scores of its requests, the ranking's row
(version and status) and the ranks frozen at the committee's approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import (
    ranking_criteria,
    ranking_results,
    ranking_scores,
    screening_rankings,
    screening_requests,
)
from budget_ledger.domain.ranking import Criterion, Ranked


class RankingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the ranking's row --------------------------------------------------------------------

    async def ranking(self, round_id: str, *, lock: bool = False) -> Any | None:
        query = select(screening_rankings).where(screening_rankings.c.round_id == round_id)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).mappings().first()

    async def touch(self, round_id: str, actor: str, now: Any) -> None:
        """A change of criteria or scores: a new version of the (draft) ranking."""
        k = screening_rankings.c
        if await self.ranking(round_id) is None:
            await self.session.execute(
                screening_rankings.insert().values(round_id=round_id, version=1, status="draft", updated_by=actor, updated_at=now)
            )
            return
        await self.session.execute(
            update(screening_rankings).where(k.round_id == round_id)
            .values(version=k.version + 1, updated_by=actor, updated_at=now)
        )

    # --- criteria -----------------------------------------------------------------------------

    async def criteria(self, round_id: str) -> list[Criterion]:
        c = ranking_criteria.c
        rows = (await self.session.execute(
            select(ranking_criteria).where(c.round_id == round_id).order_by(c.position))).mappings().all()
        return [Criterion(r["code"], Decimal(r["weight"]), r["name_th"], r["name_en"], r["target"]) for r in rows]

    async def replace_criteria(self, round_id: str, criteria: list[Criterion]) -> int:
        """The round's criteria become ``criteria``; the scores of a criterion no longer there go
        with it. Returns how many scores went."""
        s = ranking_scores.c
        codes = [c.code for c in criteria]
        dropped = await self.session.execute(
            delete(ranking_scores).where(s.round_id == round_id, s.criterion.not_in(codes))
        )
        await self.session.execute(delete(ranking_criteria).where(ranking_criteria.c.round_id == round_id))
        if criteria:
            await self.session.execute(ranking_criteria.insert(), [
                {"round_id": round_id, "code": c.code, "position": i, "name_th": c.name_th, "name_en": c.name_en,
                 "weight": format(c.weight, "f"), "target": c.target}
                for i, c in enumerate(criteria)
            ])
        return int(dropped.rowcount or 0)

    # --- scores -------------------------------------------------------------------------------

    async def request_ids_in(self, round_id: str, request_ids: set[str]) -> set[str]:
        r = screening_requests.c
        found = await self.session.scalars(
            select(r.request_id).where(r.round_id == round_id, r.request_id.in_(sorted(request_ids))))
        return set(found)

    async def put_scores(self, round_id: str, scores: list[dict[str, Any]], actor: str, now: Any) -> None:
        """Each (request, criterion) score replaced by the one given, with its reason."""
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = dialect_insert(ranking_scores).values([
            {"round_id": round_id, "request_id": i["request_id"], "criterion": i["criterion"],
             "score": format(i["score"], "f"), "reason": i["reason"], "scored_by": actor, "scored_at": now}
            for i in scores
        ])
        s = ranking_scores.c
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=[s.request_id, s.criterion],
            set_={name: statement.excluded[name] for name in ("score", "reason", "scored_by", "scored_at")},
        ))

    async def scores(self, round_id: str) -> dict[str, dict[str, dict[str, Any]]]:
        """request → criterion → {score, reason, scored_by, scored_at}."""
        s = ranking_scores.c
        rows = (await self.session.execute(select(ranking_scores).where(s.round_id == round_id))).mappings().all()
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for r in rows:
            out.setdefault(r["request_id"], {})[r["criterion"]] = {
                "score": Decimal(r["score"]), "reason": r["reason"], "scored_by": r["scored_by"], "scored_at": r["scored_at"]}
        return out

    async def candidates(self, round_id: str) -> list[Any]:
        """What the ranking needs of each request of the round."""
        r = screening_requests.c
        query = select(r.request_id, r.project_id, r.agency, r.strategy_id, r.priority, r.decision, r.requested_total,
                       r.recommended_total).where(r.round_id == round_id)
        return list((await self.session.execute(query)).mappings().all())

    async def score_count(self, round_id: str) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(ranking_scores).where(ranking_scores.c.round_id == round_id)) or 0)

    # --- the frozen ranking -------------------------------------------------------------------

    async def freeze(self, round_id: str, items: tuple[Ranked, ...], values: dict[str, Any]) -> None:
        await self.session.execute(delete(ranking_results).where(ranking_results.c.round_id == round_id))
        if items:
            await self.session.execute(ranking_results.insert(), [
                {"round_id": round_id, "request_id": i.request_id, "rank": i.rank,
                 "weighted_score": format(i.weighted_score, "f"), "amount": i.amount, "cumulative": i.cumulative,
                 "above_cut_line": i.above_cut_line, "complete": i.complete}
                for i in items
            ])
        k = screening_rankings.c
        await self.session.execute(update(screening_rankings).where(k.round_id == round_id).values(**values))

    async def frozen(self, round_id: str) -> list[Ranked]:
        f = ranking_results.c
        rows = (await self.session.execute(
            select(ranking_results).where(f.round_id == round_id).order_by(f.rank))).mappings().all()
        return [Ranked(r["request_id"], r["rank"], Decimal(r["weighted_score"]), r["amount"], r["cumulative"],
                       bool(r["above_cut_line"]), bool(r["complete"])) for r in rows]
