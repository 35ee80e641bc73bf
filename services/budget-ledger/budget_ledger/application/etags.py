"""The ETags of rounds and requests (the shared strong format, one per version)."""

from __future__ import annotations

from typing import Any

from dgplan_shared.web.etags import version_etag


def round_etag(row: Any) -> str:
    return version_etag("round", row["round_id"], row["version"])


def request_etag(row: Any) -> str:
    return version_etag("request", row["request_id"], row["version"])
