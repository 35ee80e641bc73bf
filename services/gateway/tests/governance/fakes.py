"""A unit of work without a database: in-memory repositories with the methods the use cases
call, and the events they publish recorded (for fast tests of use cases)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from dgplan_shared.errors import ProblemError, not_found
from gateway.governance.domain.audit_chain import GENESIS, chained_entry
from gateway.governance.domain.definitions import WorkflowDefinition


class FakeWorkflows:
    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.stored = {(d["key"], 1): WorkflowDefinition.model_validate(d) for d in documents}

    async def get(self, key: str, version: int) -> WorkflowDefinition:
        try:
            return self.stored[(key, version)]
        except KeyError:
            raise not_found("workflow definition", f"{key} v{version}") from None

    async def latest_version(self, key: str) -> int | None:
        return max((v for k, v in self.stored if k == key), default=None)


class FakeBodies:
    def __init__(self, bodies: list[dict[str, Any]], members: list[tuple[str, str, str]]) -> None:
        self.bodies = {b["code"]: {**b, "version": 1} for b in bodies}
        self.members = {(code, subject): {"role": role, "active": True} for code, subject, role in members}

    async def get(self, code: str) -> dict[str, Any]:
        if code not in self.bodies:
            raise not_found("body", code)
        return self.bodies[code]

    async def active_members(self, code: str) -> dict[str, str]:
        return {s: m["role"] for (c, s), m in self.members.items() if c == code and m["active"]}

    async def roles_of(self, subject: str) -> dict[str, str]:
        return {c: m["role"] for (c, s), m in self.members.items() if s == subject and m["active"]}


class FakeInstances:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.timeline: list[dict[str, Any]] = []
        self.votes_cast: dict[tuple[str, int, str], dict[str, Any]] = {}

    async def get(self, instance_id: str, *, lock: bool = False) -> dict[str, Any]:
        if instance_id not in self.rows:
            raise not_found("workflow instance", instance_id)
        return copy.deepcopy(self.rows[instance_id])

    async def save(self, instance: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        if self.rows[instance["id"]]["lock_version"] != instance["lock_version"]:
            raise ProblemError(409, "concurrent-change", "Conflict", "changed meanwhile")
        saved = {**instance, **changes, "lock_version": instance["lock_version"] + 1}
        self.rows[instance["id"]] = saved
        return copy.deepcopy(saved)

    async def add_timeline(self, instance: dict[str, Any], **values: Any) -> None:
        self.timeline.append({"instance_id": instance["id"], **values})

    async def add_outcome(self, instance: dict[str, Any], **values: Any) -> bool:
        entry = instance["stage_entry"]
        if any(t["instance_id"] == instance["id"] and t.get("outcome_entry") == entry for t in self.timeline):
            return False
        await self.add_timeline(instance, outcome_entry=entry, **values)
        return True

    async def replace_vote(self, instance_id: str, stage_entry: int, voter: str, **values: Any) -> None:
        self.votes_cast[(instance_id, stage_entry, voter)] = {"voter": voter, **values}

    async def votes(self, instance_id: str, stage_entry: int) -> list[dict[str, Any]]:
        return [v for (i, e, _), v in self.votes_cast.items() if (i, e) == (instance_id, stage_entry)]


class FakeAudit:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def append(self, **fields: Any) -> dict[str, Any]:
        head = self.entries[-1] if self.entries else {"seq": 0, "hash": GENESIS}
        entry = chained_entry(head["seq"], head["hash"], {"decision": None, "reason": None, **fields})
        self.entries.append(entry)
        return entry


@dataclass
class FakeRepositories:
    bodies: FakeBodies
    workflows: FakeWorkflows
    instances: FakeInstances = field(default_factory=FakeInstances)
    audit: FakeAudit = field(default_factory=FakeAudit)


@dataclass
class Published:
    type: str
    subject: str
    data: dict[str, Any]


@dataclass
class FakeUnitOfWork:
    repositories: FakeRepositories
    published: list[Published] = field(default_factory=list)

    async def publish(self, event_type: str, subject: str, data: dict[str, Any]) -> Published:
        event = Published(event_type, subject, data)
        self.published.append(event)
        return event
