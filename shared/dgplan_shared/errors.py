"""Errors that use cases and domain rules raise; rendered as RFC 9457 problem+json in one place
(``dgplan_shared.problems``). Plain Python: no web framework, so domain code may import it."""

from __future__ import annotations

from typing import Any


class ProblemError(Exception):
    """A refusal with a stable type ``urn:dgplan:problem:<slug>`` and the HTTP status it maps to.

    ``extensions`` are extra members of the problem (for example ``errors`` naming the offending
    fields); ``_headers`` is not a member but headers of the answer (``WWW-Authenticate``).
    """

    def __init__(self, status: int, slug: str, title: str, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": TYPE_PREFIX + self.slug, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update({k: v for k, v in self.extensions.items() if not k.startswith("_")})
        return body


TYPE_PREFIX = "urn:dgplan:problem:"


def not_found(what: str, ident: object) -> ProblemError:
    return ProblemError(404, "not-found", f"{what} not found", f"No {what} with id {ident!s}.")


def conflict(slug: str, detail: str, **extensions: Any) -> ProblemError:
    """409: the request is allowed in principle but not in the resource's current state."""
    return ProblemError(409, slug, "Conflict", detail, **extensions)


def forbidden(detail: str, slug: str = "forbidden") -> ProblemError:
    """403: this caller may never do this, whatever the resource's state."""
    return ProblemError(403, slug, "Not allowed", detail)


def invalid(field: str, message: str, slug: str = "validation-error") -> ProblemError:
    """A 422 that names the offending field, in the same shape as request validation errors."""
    return ProblemError(
        422, slug, "Request is not valid", f"{field}: {message}", errors=[{"field": field, "message": message}]
    )
