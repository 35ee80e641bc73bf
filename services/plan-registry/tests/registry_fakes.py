"""A fake unit of work for fast use-case tests: in-memory repositories, published events recorded.

Only the repositories the tested use cases reach are implemented; a use case reaching another
fails loudly (AttributeError on None), which is what a test should then do.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from plan_registry.application.repositories import Repositories


class InMemoryAgencies:
    def __init__(self, *agencies: dict[str, Any]) -> None:
        self.rows = {a["code"]: copy.deepcopy(a) for a in agencies}

    async def find(self, code: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.rows.get(code))

    async def existing(self, codes: set[str]) -> set[str]:
        return codes & set(self.rows)

    async def all(self) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(dict(sorted(self.rows.items())))

    async def add(self, agency: dict[str, Any]) -> None:
        assert agency["code"] not in self.rows
        self.rows[agency["code"]] = copy.deepcopy(agency)

    async def update(self, agency: dict[str, Any]) -> None:
        assert agency["code"] in self.rows
        self.rows[agency["code"]] = copy.deepcopy(agency)


class InMemoryObservations:
    """Holds observations in API shape, plus the columns a write sets that the shape hides."""

    def __init__(self, *observations: dict[str, Any]) -> None:
        self.rows = {o["id"]: copy.deepcopy(o) for o in observations}
        self.history: list[dict[str, Any]] = []

    async def find(self, observation_id: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.rows.get(observation_id))

    async def update(self, observation_id: str, **values: Any) -> None:
        row = self.rows[observation_id]
        if "response_th" in values:
            row["response"] = {"th": values.pop("response_th"), "en": values.pop("response_en")}
        row.update({k: v for k, v in values.items() if k in row})

    async def add_history(self, entry: dict[str, Any]) -> None:
        self.history.append(copy.deepcopy(entry))

    async def history_of(self, observation_id: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(h) for h in self.history if h["observation_id"] == observation_id]


@dataclass
class PublishedEvent:
    type: str
    subject: str
    data: dict[str, Any]


@dataclass
class FakeUnitOfWork:
    repositories: Repositories
    published: list[PublishedEvent] = field(default_factory=list)
    committed: bool = False

    async def publish(self, event_type: str, subject: str, data: dict[str, Any]) -> PublishedEvent:
        event = PublishedEvent(event_type, subject, copy.deepcopy(data))
        self.published.append(event)
        return event

    async def commit(self) -> None:
        self.committed = True

    async def rollback(self) -> None:
        pass


def fake_uow(*, agencies: InMemoryAgencies | None = None, observations: InMemoryObservations | None = None) -> FakeUnitOfWork:
    return FakeUnitOfWork(Repositories(plans=None, nodes=None, agencies=agencies, observations=observations, frameworks=None))  # type: ignore[arg-type]


def an_observation(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "obs-1", "plan_id": "plan-1", "version_id": "v1", "node_id": None, "raised_by_body": "nesdc",
        "external_ref": None, "text": {"th": "ควรระบุตัวชี้วัด", "en": "Name the indicators"}, "status": "open",
        "response": None, "responded_by": None, "resolution_reason": None,
        "created_at": datetime(2026, 12, 1, tzinfo=timezone.utc).isoformat(),
    }
    return {**base, **changes}
