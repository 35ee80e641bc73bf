"""CSV renderings of the scorecard-based reports and of budget execution (UTF-8, Thai intact)."""

from __future__ import annotations

import csv
import io
from typing import Any

SCORECARD_COLUMNS = (
    "level", "id", "code", "title_th", "title_en", "status", "at_risk", "projects", "reporting_projects",
    "declared_projects", "percent_complete", "framework", "allocated", "committed", "disbursed", "execution_rate",
    "reason", "in_approved_version",
)


def scorecard_csv(card: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SCORECARD_COLUMNS, lineterminator="\n")
    writer.writeheader()

    def row(level: str, ident: str, item: dict[str, Any], **extra: Any) -> None:
        title = item.get("title") or {}
        writer.writerow({
            "level": level, "id": ident, "code": item.get("code"),
            "title_th": title.get("th"), "title_en": title.get("en"),
            "status": item.get("status"), **(item.get("budget") or {}), **extra,
        })

    plan = card["plan"]
    done = card["completeness"]
    row("plan", plan["plan_id"], {**plan, "status": card["status"], "budget": card["budget"]},
        projects=card["project_count"],
        reporting_projects=done["reporting_projects"], declared_projects=done["declared_projects"])
    for s in card["strategies"]:
        row("strategy", s["strategy_id"], s, projects=s["project_count"],
            reporting_projects=s["completeness"]["reporting_projects"],
            declared_projects=s["completeness"]["declared_projects"])
    for t in card["targets"]:
        row("target", t["target_id"], t, projects=t["project_count"])
    for p in card["projects"]:
        row("project", p["project_id"], p, at_risk=p["at_risk"], percent_complete=p["percent_complete"],
            reason=p["reason"], in_approved_version=p["in_approved_version"])
    return out.getvalue()


def budget_execution_csv(report: dict[str, Any]) -> str:
    group_by = report["group_by"]
    columns = [group_by, "code", "title_th", "title_en", "framework", "allocated", "committed", "disbursed",
               "execution_rate"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in report["rows"]:
        title = r.get("title") or {}
        writer.writerow({**r, "title_th": title.get("th"), "title_en": title.get("en")})
    return out.getvalue()


ALIGNMENT_COLUMNS = (
    "goal", "title_th", "title_en", "framework", "allocated", "committed", "disbursed", "execution_rate",
    "projects", "reporting_projects", "mean_percent_complete", "strategies",
)


def alignment_csv(report: dict[str, Any]) -> str:
    """One line per goal (an empty goal: unaligned), then the total line (goal ``total``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ALIGNMENT_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in [*report["rows"], {**report["total"], "goal": "total"}]:
        title = r.get("title") or {}
        writer.writerow({"goal": r["goal"], "title_th": title.get("th"), "title_en": title.get("en"),
                         **r["budget"], **r["progress"], "strategies": " ".join(c for c in r.get("strategies") or [] if c)})
    return out.getvalue()
