"""What a quarter's progress report form becomes for the monitoring API. The console judges nothing
a person types: blanks are left out (so the API names the missing field), ASCII whole numbers
become numbers, and everything else is passed on as typed for the API to refuse by name — Thai
digits included, never converted behind the person's back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from console.domain.funnel import parse_amount

# The per-indicator fields of the form, named ``actual.<indicator id>.<part>``.
ACTUAL_PARTS = ("value", "numerator", "denominator", "note")
REPORT_FIELDS = ("fiscal_year", "quarter", "percent_complete", "narrative_th", "narrative_en", "revises_report_id",
                 "revision_reason")


def actual_field(indicator_id: str, part: str) -> str:
    return f"actual.{indicator_id}.{part}"


@dataclass(frozen=True)
class ReportForm:
    """The form as typed (every field, blanks included): what is shown again after a refusal."""

    typed: dict[str, str]

    @classmethod
    def read(cls, form: Mapping[str, Any], indicator_ids: list[str]) -> ReportForm:
        names = list(REPORT_FIELDS) + [actual_field(i, p) for i in indicator_ids for p in ACTUAL_PARTS]
        return cls({name: str(form.get(name) or "") for name in names})

    def body(self, project_id: str, indicator_ids: list[str]) -> dict[str, Any]:
        return report_body(project_id, self.typed, indicator_ids)


def whole_number(text: str) -> int | str | None:
    """A year or quarter as typed: blank is None, ASCII digits a number, anything else as typed."""
    cleaned = text.strip()
    if not cleaned:
        return None
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() else cleaned


def _narrative(th: str, en: str) -> dict[str, str] | None:
    th, en = th.strip(), en.strip()
    if not th and not en:
        return None
    # English alone is sent as it is: the API's answer (Thai is required) is the person's to read.
    return {**({"th": th} if th else {}), **({"en": en} if en else {})}


def _actual(indicator_id: str, typed: Mapping[str, str]) -> dict[str, str] | None:
    found: dict[str, str] = {}
    for part in ("value", "numerator", "denominator"):
        number = parse_amount(typed.get(actual_field(indicator_id, part), ""))
        if number is not None:
            found[part] = number
    note = typed.get(actual_field(indicator_id, "note"), "").strip()
    if note:
        found["note"] = note
    # An indicator left blank is not reported this quarter (not every indicator is measured quarterly).
    return {"indicator_id": indicator_id, **found} if found else None


def report_body(project_id: str, typed: Mapping[str, str], indicator_ids: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"project_id": project_id}
    for name in ("fiscal_year", "quarter"):
        value = whole_number(typed.get(name, ""))
        if value is not None:
            body[name] = value
    percent = parse_amount(typed.get("percent_complete", "").strip().removesuffix("%"))
    if percent is not None:
        body["percent_complete"] = percent
    narrative = _narrative(typed.get("narrative_th", ""), typed.get("narrative_en", ""))
    if narrative is not None:
        body["narrative"] = narrative
    body["actuals"] = [a for a in (_actual(i, typed) for i in indicator_ids) if a is not None]
    # A correction is a new revision naming the report it corrects; monitoring requires its reason.
    for name in ("revises_report_id", "revision_reason"):
        if typed.get(name, "").strip():
            body[name] = typed[name].strip()
    return body


def correction_form(report: dict[str, Any]) -> dict[str, str]:
    """The form filled with a report as it stands, to be corrected (the reason is the person's to give)."""
    narrative = report.get("narrative") or {}
    typed = {
        "fiscal_year": str(report["fiscal_year"]), "quarter": str(report["quarter"]),
        "percent_complete": str(report.get("percent_complete") or ""),
        "narrative_th": narrative.get("th") or "", "narrative_en": narrative.get("en") or "",
        "revises_report_id": report["report_id"], "revision_reason": "",
    }
    for actual in report.get("actuals") or []:
        for part in ACTUAL_PARTS:
            if actual.get(part) is not None:
                typed[actual_field(actual["indicator_id"], part)] = str(actual[part])
    return typed
