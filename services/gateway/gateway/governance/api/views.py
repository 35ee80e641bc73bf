"""JSON shapes of instances, votes, timeline entries, bodies and audit entries (what the API returns)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def instance_view(instance: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": instance["id"],
        "workflow": instance["workflow_key"],
        "definition_version": instance["definition_version"],
        "status": instance["status"],
        "outcome": instance["outcome"],
        "stage": instance["stage"],
        "body": instance["stage_body"],
        "stage_entered_at": iso(instance["stage_entered_at"]),
        "due_at": iso(instance["stage_due_at"]),
        "resume_stage": instance["resume_stage"],
        "pending_version_id": instance["pending_version_id"],
        "plan_id": instance["plan_id"],
        "version_id": instance["version_id"],
        "round_id": instance["round_id"],
        "fiscal_year": instance["fiscal_year"],
        "created_at": iso(instance["created_at"]),
        "updated_at": iso(instance["updated_at"]),
        "revision": instance["lock_version"],
    }


def timeline_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "instance_id": row["instance_id"],
        "at": iso(row["at"]),
        "kind": row["kind"],
        "stage": row["stage"],
        "body": row["body"],
        "actor": row["actor"],
        "acting_as": row["acting_as"],
        "decision": row["decision"],
        "reason": row["reason"],
        "observations": row["observations"],
        "detail": row["detail"],
        "plan_id": row["plan_id"],
        "version_id": row["version_id"],
        "round_id": row["round_id"],
    }


def body_view(body: dict[str, Any], members: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    view = {
        "code": body["code"],
        "name": {"th": body["name_th"], "en": body["name_en"]},
        "kind": body["kind"],
        "parent_code": body["parent_code"],
        "rule": body["rule"],
        "revision": body["version"],
    }
    if members is not None:
        view["members"] = [member_view(m) for m in members]
    return view


def member_view(member: dict[str, Any]) -> dict[str, Any]:
    return {
        "body": member["body_code"],
        "subject": member["subject"],
        "name": member.get("name"),
        "role": member["role"],
        "active": member["active"],
        "revision": member["version"],
    }


def vote_view(vote: dict[str, Any]) -> dict[str, Any]:
    return {"voter": vote["voter"], "choice": vote["choice"], "reason": vote["reason"],
            "observations": vote["observations"], "cast_at": iso(vote["cast_at"])}


def audit_entry_view(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "at": iso(entry["at"])}
