"""Why a project has its status, in the page's language. Monitoring's evaluation carries an English
``reason`` and ``detail`` per check, but also the figures behind them (measured, expected, the
quarter reported), so the console words each reason itself from the figures; a check it does not
know yet is shown with monitoring's own English words rather than left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NO_REPORT = "No progress report has been submitted yet."
REPORT_DUE = "No report for FY %(year)s Q%(quarter)s, which is due."
COMPLETED = "FY %(year)s Q%(quarter)s reports 100 percent complete with every milestone done."
PROGRESS = ("Progress: %(measured)s percent complete reported for FY %(year)s Q%(quarter)s; "
            "%(expected)s percent expected by then.")
BUDGET = ("Budget execution: %(measured)s percent of the FY %(year)s allocation disbursed; "
          "%(expected)s percent of the year elapsed.")
INDICATOR = ("Indicator %(code)s: %(measured)s percent of the FY %(year)s target achieved; "
             "%(expected)s percent expected by the quarter reported.")
NO_ACTUAL = "Indicator %(code)s: no actual reported in FY %(year)s."
MESSAGES = (NO_REPORT, REPORT_DUE, COMPLETED, PROGRESS, BUDGET, INDICATOR, NO_ACTUAL)


@dataclass(frozen=True)
class Reason:
    status: str | None  # the check's own status; None for a reason about the whole evaluation
    msgid: str | None  # None: a check the console cannot word, shown as monitoring's ``original``
    params: dict[str, Any] = field(default_factory=dict)
    original: str | None = None

    def text(self, gettext: Callable[[str], str]) -> str:
        if self.msgid is None:
            return self.original or ""
        return gettext(self.msgid) % self.params


def _quarter(found: dict[str, Any] | None) -> dict[str, Any]:
    found = found or {}
    return {"year": found.get("fiscal_year", "?"), "quarter": found.get("quarter", "?")}


def _check(check: dict[str, Any], evaluation: dict[str, Any]) -> Reason:
    name, status = str(check.get("name", "")), check.get("status")
    figures = {"measured": check.get("measured"), "expected": check.get("expected"),
               "year": evaluation.get("fiscal_year")}
    if name == "progress":
        return Reason(status, PROGRESS, {**figures, **_quarter(evaluation.get("latest_report"))})
    if name == "budget_execution":
        return Reason(status, BUDGET, figures)
    if name.startswith("indicator:"):
        code = name.removeprefix("indicator:")
        if status == "no_actual":
            return Reason(status, NO_ACTUAL, {"code": code, "year": evaluation.get("fiscal_year")})
        return Reason(status, INDICATOR, {**figures, "code": code})
    return Reason(status, None, original=f"{name}: {check.get('detail', '')}")


def reasons(evaluation: dict[str, Any]) -> list[Reason]:
    """The reasons behind an evaluation, the whole evaluation's first, then one per check."""
    status = evaluation.get("status")
    latest = evaluation.get("latest_report")
    if status == "not_reporting":
        if latest is None:
            return [Reason(None, NO_REPORT)]
        return [Reason(None, REPORT_DUE, _quarter(evaluation.get("last_due_quarter")))]
    if status == "completed":
        return [Reason(None, COMPLETED, _quarter(latest))]
    return [_check(c, evaluation) for c in evaluation.get("checks") or []]
