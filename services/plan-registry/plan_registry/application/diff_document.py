"""The diff between two versions, kept when both are settled (``domain.settled_versions``): what
it is built from cannot change, so it is built once per pair of audiences. Whether the caller may
read each version is decided on every request."""

from __future__ import annotations

from plan_registry.application.compare_versions import CompareVersions, compare
from plan_registry.application.kept_representations import KeptReads, Representation
from plan_registry.application.repositories import repositories
from plan_registry.application.version_document import KeptAnswer, OpenUow, remember
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.canonical import canonical_bytes
from plan_registry.domain.settled_versions import audience, is_public, is_settled


async def handle(query: CompareVersions, open_uow: OpenUow, kept: KeptReads) -> KeptAnswer:
    principal = query.principal
    a = kept.settled_version(query.plan_id, query.from_version_id)
    b = kept.settled_version(query.plan_id, query.to_version_id)
    if a is not None and b is not None:
        key = ("diff", a.version_id, b.version_id, audience(principal, a.status), audience(principal, b.status))
        found = kept.answers.get(key)
        if found is not None:
            return KeptAnswer(found, True, is_public(a.status) and is_public(b.status))
    async with open_uow() as uow:
        repos = repositories(uow)
        before = await version_for_read(repos, principal, query.plan_id, query.from_version_id)
        after = await version_for_read(repos, principal, query.plan_id, query.to_version_id)
        answer = Representation.of(canonical_bytes(await compare(repos, principal, before, after)))
    settled = is_settled(before.status) and is_settled(after.status)
    if settled:
        remember(kept, before)
        remember(kept, after)
        key = ("diff", before.id, after.id, audience(principal, before.status), audience(principal, after.status))
        kept.answers.put(key, answer)
    return KeptAnswer(answer, settled, is_public(before.status) and is_public(after.status))
