"""The entity tags of bodies and memberships (what ``If-Match`` must name to change them)."""

from __future__ import annotations

from collections.abc import Iterable

from dgplan_shared.web.etags import content_etag, version_etag


def body_etag(code: str, version: int, member_versions: Iterable[tuple[str, int]]) -> str:
    """Covers the body and its memberships: both are in the representation."""
    return content_etag(["body", code, version, sorted([s, v] for s, v in member_versions)])


def body_row_etag(body: dict, members: list[dict]) -> str:
    return body_etag(body["code"], body["version"], ((m["subject"], m["version"]) for m in members))


def member_etag(code: str, subject: str, version: int) -> str:
    return version_etag("member", f"{code}/{subject}", version)
