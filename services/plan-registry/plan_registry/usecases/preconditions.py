"""Optimistic concurrency: ETag on reads, If-Match on updates (428 when missing, 412 when stale)."""

from __future__ import annotations

from typing import Any

from dgplan_shared.problems import ProblemError

from plan_registry.domain.canonical import etag_of


def check_if_match(if_match: str | None, current: Any) -> None:
    if not if_match:
        raise ProblemError(
            428, "precondition-required", "If-Match required",
            "Send If-Match with the ETag you read, so that you do not overwrite someone else's change.",
            errors=[{"field": "If-Match", "message": "header is required"}],
        )
    tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if "*" not in tags and etag_of(current) not in tags:
        raise ProblemError(
            412, "precondition-failed", "Stale If-Match",
            "The resource changed since you read it; read it again and retry.",
            errors=[{"field": "If-Match", "message": "does not match the current ETag"}],
        )
