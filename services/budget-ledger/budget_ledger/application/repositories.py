"""The repositories a use case works with, over its unit of work's session.

A fake unit of work (fast tests) carries its own in-memory ``repositories``; the real one gets the
SQL repositories of ``adapters/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from budget_ledger.adapters import outbox_writer
from budget_ledger.adapters.ledger_repository import LedgerRepository
from budget_ledger.adapters.plan_repository import PlanRepository
from budget_ledger.adapters.ranking_repository import RankingRepository
from budget_ledger.adapters.screening_repository import ScreeningRepository
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent


class SqlEvents:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def publish_many(self, events: Sequence[CloudEvent]) -> None:
        await outbox_writer.publish_many(self.uow, events)


@dataclass(frozen=True)
class Repositories:
    ledger: Any  # LedgerRepository or a fake with the same methods
    screening: Any
    plans: Any
    events: Any
    ranking: Any = None  # RankingRepository (the fast tests' fake has none: their use cases rank nothing)


def repositories(uow: UnitOfWork) -> Repositories:
    fake = getattr(uow, "repositories", None)
    if fake is not None:
        return fake
    session = uow.session
    return Repositories(
        LedgerRepository(session), ScreeningRepository(session), PlanRepository(session), SqlEvents(uow),
        RankingRepository(session),
    )
