"""Answers with a strong ETag, Cache-Control saying how long they hold, and 304 for a matching
``If-None-Match`` (RFC 9110 §13.1.2: weak comparison, a list of tags, or ``*``), sent without
building anything again: the kept bytes' tag is compared, then the bytes are sent or not."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from dgplan_shared.web.etags import etag_matches

from plan_registry.application.kept_representations import Representation
from plan_registry.application.version_document import KeptAnswer

# Approved content can never change and is the same for everyone: the gateway, shared caches and
# browsers may keep it for a year without asking again.
PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable"
# Cannot change either, but only some callers may read it, and that is decided here each time.
PRIVATE_REVALIDATE = "private, no-cache"
# May change at any moment (a draft) or only the caller may see it: nobody keeps it.
PRIVATE_NOT_STORED = "private, no-store"
# Public content that changes now and then (the plan list): keep it, but ask before each use.
REVALIDATE = "no-cache"
# The answer depends on who calls (the gateway turns Authorization into the identity it forwards).
BY_CALLER = {"Vary": "Authorization"}


def conditional(request: Request, representation: Representation, cache_control: str, vary: bool = True) -> Response:
    headers = {"ETag": representation.etag, "Cache-Control": cache_control, **(BY_CALLER if vary else {})}
    if etag_matches(request.headers.get("if-none-match"), representation.etag):
        return Response(status_code=304, headers=headers)
    return Response(representation.body, media_type="application/json", headers=headers)


def version_answer(request: Request, answer: KeptAnswer) -> Response:
    """A version's document or diff: public and immutable once approved; revalidated once settled
    but private; never stored before."""
    if answer.public and answer.settled:
        return conditional(request, answer.representation, PUBLIC_IMMUTABLE, vary=False)
    return conditional(request, answer.representation, PRIVATE_REVALIDATE if answer.settled else PRIVATE_NOT_STORED)
