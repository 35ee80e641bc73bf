"""A version's whole content in one answer: the version and every node the caller may see.

A settled version's document (``domain.settled_versions``) is built once per audience and kept;
whether the caller may read it is decided on every request, from the kept facts when there are
some (no query), else from the database. A draft's, or a version still under governance, is
built on every request and never kept: a draft's edit shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import version_dict
from plan_registry.application.kept_representations import KeptReads, Representation, SettledVersion
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import visible_nodes
from plan_registry.domain.canonical import canonical_bytes
from plan_registry.domain.settled_versions import audience, is_public, is_settled

OpenUow = Callable[[], AbstractAsyncContextManager[UnitOfWork]]


@dataclass(frozen=True)
class ReadVersionDocument:
    principal: Principal | None
    plan_id: str
    version_id: str


@dataclass(frozen=True)
class KeptAnswer:
    representation: Representation
    settled: bool  # built from what cannot change: the same bytes for as long as the version exists
    public: bool  # the same bytes for every caller, anonymous or not


async def build(repos: Repositories, version: Any, principal: Principal | None) -> bytes:
    content = visible_nodes(principal, version.status, await repos.nodes.load_nodes(version.id))
    return canonical_bytes({"plan_id": version.plan_id, "version": version_dict(version), "nodes": content})


def remember(kept: KeptReads, version: Any) -> None:
    if is_settled(version.status):
        kept.remember_version(SettledVersion(version.plan_id, version.id, version.status))


def kept_answer(kept: KeptReads, query: ReadVersionDocument) -> KeptAnswer | None:
    """The kept document, if there is one for this caller; raises if the caller may not read it."""
    facts = kept.settled_version(query.plan_id, query.version_id)
    if facts is None:
        return None
    found = kept.answers.get(("document", facts.version_id, audience(query.principal, facts.status)))
    return None if found is None else KeptAnswer(found, True, is_public(facts.status))


async def handle(query: ReadVersionDocument, open_uow: OpenUow, kept: KeptReads) -> KeptAnswer:
    found = kept_answer(kept, query)
    if found is not None:
        return found
    async with open_uow() as uow:
        repos = repositories(uow)
        version = await version_for_read(repos, query.principal, query.plan_id, query.version_id)
        key = ("document", version.id, audience(query.principal, version.status))
        answer = Representation.of(await build(repos, version, query.principal))
    if is_settled(version.status):
        remember(kept, version)
        kept.answers.put(key, answer)
    return KeptAnswer(answer, is_settled(version.status), is_public(version.status))
