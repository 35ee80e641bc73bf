"""The shapes use cases answer with (JSON-ready dicts), shared by commands and queries alike."""

from __future__ import annotations

from typing import Any


def title(row: dict[str, Any], prefix: str = "title") -> dict[str, str | None]:
    return {"th": row[f"{prefix}_th"], "en": row[f"{prefix}_en"]}


def indicator_view(row: dict[str, Any], targets: list[tuple[int, str]]) -> dict[str, Any]:
    return {
        "indicator_id": row["indicator_id"],
        "code": row["code"],
        "name": {"th": row["name_th"], "en": row["name_en"]},
        "unit": row["unit"],
        "measure_type": row["measure_type"],
        "direction": row["direction"],
        "formula": row["formula"],
        "baseline": row["baseline"],
        "baseline_year": row["baseline_year"],
        "targets": [{"fiscal_year": fy, "target": value} for fy, value in sorted(targets)],
        "frequency": row["frequency"],
        "source": row["source"],
        "link": {"type": row["link_type"], "id": row["link_id"]},
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def actual_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "actual_id": row["actual_id"],
        "indicator_id": row["indicator_id"],
        "fiscal_year": row["fiscal_year"],
        "quarter": row["quarter"],
        "revision": row["revision"],
        "revision_reason": row["revision_reason"],
        "value": row["value"],
        "numerator": row["numerator"],
        "denominator": row["denominator"],
        "note": row["note"],
        "evidence": row["evidence"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
    }


def report_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "report_id": row["report_id"],
        "project_id": row["project_id"],
        "fiscal_year": row["fiscal_year"],
        "quarter": row["quarter"],
        "revision": row["revision"],
        "revision_reason": row["revision_reason"],
        "percent_complete": row["percent_complete"],
        "actuals": row["actuals"],
        "milestones": row["milestones"],
        "issues": row["issues"],
        "narrative": None if row["narrative_th"] is None else {"th": row["narrative_th"], "en": row["narrative_en"]},
        "evidence": row["evidence"],
        "agency": row["agency"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
    }
