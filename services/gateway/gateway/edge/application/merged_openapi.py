"""Query: the merged OpenAPI document of the gateway and every service, cached.

Reads no database, so it takes what it reads (the services' documents and the cache) rather than
a unit of work.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.edge.adapters.openapi_documents import ServiceDocument
from gateway.edge.domain.openapi_merge import merge

log = logging.getLogger("gateway.edge.openapi")
_RETRY_INCOMPLETE_AFTER = 5.0  # a document missing a service is rebuilt soon, not after the full cache time


@dataclass(frozen=True)
class MergedOpenApi:
    own: dict[str, Any]  # the gateway's own document (its routes)
    cache_seconds: float


async def handle(
    query: MergedOpenApi, documents: Mapping[str, ServiceDocument], cache: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """(the document, its JSON): rebuilt when the cache has expired."""
    now = time.monotonic()
    if cache.get("expires", 0.0) > now:
        return cache["document"], cache["body"]
    names = list(documents)
    results = await asyncio.gather(*(documents[n].fetch() for n in names), return_exceptions=True)
    found, unavailable = {}, []
    for name, result in zip(names, results):
        if isinstance(result, BaseException):
            log.warning("OpenAPI of %s unavailable: %r", name, result)
            unavailable.append(name)
        else:
            found[name] = result
    document = merge(query.own, found, unavailable)
    ttl = _RETRY_INCOMPLETE_AFTER if unavailable else query.cache_seconds
    cache.update(document=document, body=orjson.dumps(document), expires=now + ttl)
    return document, cache["body"]
