"""The plan list, kept for a moment (``KeptReads.list_ttl``) per audience and query.

Measured (bench/registry_reads.py): one database query per request already caps a read at a small
share of what the service answers without one, so a list answered at the pace of the service's
trivial routes must come from memory. A list changes with writes this process may not see (a
governance decision applied by the consumer, another replica), hence kept only briefly; this
process's own writes drop it at once (``api.list_freshness``). When a kept list expires, one
caller rebuilds it; the others meanwhile get the expired one (a build's time late) rather than
queueing behind the query.
"""

from __future__ import annotations

import asyncio

import orjson

from dgplan_contracts.identity import Principal

from plan_registry.application import list_plans
from plan_registry.application.kept_representations import KeptReads, Representation
from plan_registry.application.version_document import OpenUow
from plan_registry.domain.access import is_privileged_reader


def fresh_for_query_string(kept: KeptReads, principal: Principal | None, query_string: bytes) -> Representation | None:
    """The fresh kept list for a query string ``handle`` has already been given (so it is valid)."""
    key = kept.list_keys.get((is_privileged_reader(principal), query_string))
    found = None if key is None else kept.kept_list(key)
    return found[0] if found is not None and found[1] else None


async def handle(
    query: list_plans.ListPlans, open_uow: OpenUow, kept: KeptReads, query_string: bytes | None = None
) -> Representation:
    # Only this tells two callers' lists apart (list_plans shows unapproved plans to privileged readers).
    privileged = is_privileged_reader(query.principal)
    key = (privileged, query.fiscal_year, query.status, query.q, query.sort, query.limit, query.cursor)
    answer = await _kept_or_built(query, key, open_uow, kept)
    if query_string is not None:  # answered, so valid: the same query string may be answered before routing
        kept.list_keys.put((privileged, query_string), key)
    return answer


async def _kept_or_built(query: list_plans.ListPlans, key: tuple, open_uow: OpenUow, kept: KeptReads) -> Representation:
    found = kept.kept_list(key)
    if found is not None and found[1]:
        return found[0]
    under_way = kept.list_builds.get(key)
    if under_way is not None:
        if found is not None:
            return found[0]  # while one caller rebuilds it, the others get it at most that build late
        if (built := await asyncio.shield(under_way)) is not None:
            return built
    generation = kept.generation
    future: asyncio.Future[Representation | None] = asyncio.get_running_loop().create_future()
    kept.list_builds[key] = future
    answer = None
    try:
        async with open_uow() as uow:
            page = await list_plans.handle(query, uow)
        answer = Representation.of(orjson.dumps(page))
        kept.keep_list(key, answer, generation)
        return answer
    finally:
        future.set_result(answer)
        if kept.list_builds.get(key) is future:
            del kept.list_builds[key]
