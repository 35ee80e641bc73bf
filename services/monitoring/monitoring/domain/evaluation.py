"""Evaluation rules: how a project gets its status, and how statuses roll up.

A project is evaluated *as of* a date, in the fiscal year that contains that date. Rules, in order:

1. **not_reporting** - the project has no progress report for any quarter that has started by the
   as-of date, or its latest report is older than the last quarter already due (a quarter is due
   ``report_grace_days`` after it ends; only quarters inside the project's fiscal years count).
2. **completed** - the latest report says 100 percent complete and every milestone is done.
3. Otherwise each check below yields on track, at risk or off track; the worst one wins:
   - *progress*: expected progress is the share of the project's span (1 Oct of its first fiscal
     year to 30 Sep of its last) elapsed at the end of the reported quarter; lag = expected -
     reported percent complete. At risk above ``progress_at_risk_lag`` points, off track above
     ``progress_off_track_lag``.
   - *budget execution*: in the as-of fiscal year, rate = disbursed / allocated x 100, compared
     with the share of the fiscal year elapsed at the as-of date; lag = elapsed - rate; at risk
     above ``execution_at_risk_lag``, off track above ``execution_off_track_lag``. Skipped when
     nothing is allocated.
   - *indicators*: each numeric indicator attached to the project with a target for the fiscal
     year, using its latest actual reported in that year: achievement is the percentage of the
     way from baseline to target (honouring higher/lower is better; actuals of formula indicators
     are numerator / denominator x factor); it is compared with the share of the year covered by
     the report (Q1 25 %, ..., Q4 100 %); at risk above ``indicator_at_risk_lag``, off track above
     ``indicator_off_track_lag``. Qualitative indicators are listed, never scored.

Roll-ups (strategy, plan target, plan) over their projects' statuses: every project not reporting
(or none registered) -> not_reporting; all completed -> completed; off-track share >=
``rollup_attention_share`` -> off_track; any off-track project, or a share of off-track, at-risk
and not-reporting projects >= that share -> at_risk; else on_track.

A report counts from the start of the quarter it reports on, whenever it was submitted, so an
evaluation as of a past date is reproducible.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dgplan_contracts.fiscal import fiscal_year_of, fiscal_year_range
from monitoring.domain.fiscal import FiscalQuarter, elapsed_fraction, fiscal_year_elapsed, last_due_quarter
from monitoring.domain.indicators import achievement

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
COMPLETED = "completed"
NOT_REPORTING = "not_reporting"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, COMPLETED, NOT_REPORTING)
_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}


@dataclass(frozen=True)
class Thresholds:
    progress_at_risk_lag: float = 10
    progress_off_track_lag: float = 25
    execution_at_risk_lag: float = 20
    execution_off_track_lag: float = 40
    indicator_at_risk_lag: float = 10
    indicator_off_track_lag: float = 25
    report_grace_days: int = 30
    rollup_attention_share: float = 0.25

    @classmethod
    def from_settings(cls, settings: object) -> Thresholds:
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ReportFacts:
    fiscal_year: int
    quarter: int
    revision: int
    percent_complete: Decimal
    milestones_done: bool
    actuals: dict[str, Decimal]  # indicator_id -> value (formula already applied)
    report_id: str = ""

    @property
    def period(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)


@dataclass(frozen=True)
class IndicatorFacts:
    indicator_id: str
    code: str
    measure_type: str
    direction: str
    baseline: Decimal | None
    targets: dict[int, Decimal]


@dataclass(frozen=True)
class ProjectFacts:
    project_id: str
    start_fy: int | None
    end_fy: int | None
    reports: list[ReportFacts]  # latest revision of each quarter
    indicators: list[IndicatorFacts] = field(default_factory=list)
    allocated: Decimal = Decimal(0)  # in the as-of fiscal year
    disbursed: Decimal = Decimal(0)


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    measured: Decimal | None
    expected: Decimal | None
    lag: Decimal | None
    detail: str

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "measured": _s(self.measured),
            "expected": _s(self.expected),
            "lag": _s(self.lag),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Evaluation:
    project_id: str
    as_of: date
    fiscal_year: int
    status: str
    checks: list[Check]
    latest_report: ReportFacts | None
    last_due_quarter: FiscalQuarter | None
    reason: str

    @property
    def at_risk(self) -> bool:
        """The flag a committee should see."""
        return self.status in (AT_RISK, OFF_TRACK)

    def to_dict(self) -> dict:
        latest = self.latest_report
        return {
            "project_id": self.project_id,
            "as_of": self.as_of.isoformat(),
            "fiscal_year": self.fiscal_year,
            "status": self.status,
            "at_risk": self.at_risk,
            "reason": self.reason,
            "last_due_quarter": _quarter(self.last_due_quarter),
            "latest_report": None
            if latest is None
            else {
                "report_id": latest.report_id,
                "fiscal_year": latest.fiscal_year,
                "quarter": latest.quarter,
                "revision": latest.revision,
                "percent_complete": _s(latest.percent_complete),
            },
            "checks": [c.to_dict() for c in self.checks],
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _quarter(q: FiscalQuarter | None) -> dict | None:
    return None if q is None else {"fiscal_year": q.fiscal_year, "quarter": q.quarter}


def _level(lag: Decimal, at_risk: float, off_track: float) -> str:
    if lag > Decimal(str(off_track)):
        return OFF_TRACK
    if lag > Decimal(str(at_risk)):
        return AT_RISK
    return ON_TRACK


def _pct(fraction: float) -> Decimal:
    return (Decimal(str(fraction)) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _due_quarter(facts: ProjectFacts, as_of: date, grace_days: int) -> FiscalQuarter | None:
    due = last_due_quarter(as_of, grace_days)
    if facts.end_fy is not None and due > FiscalQuarter(facts.end_fy, 4):
        due = FiscalQuarter(facts.end_fy, 4)
    if facts.start_fy is not None and due < FiscalQuarter(facts.start_fy, 1):
        return None
    return due


def evaluate_project(facts: ProjectFacts, as_of: date, rules: Thresholds) -> Evaluation:
    fiscal_year = fiscal_year_of(as_of)
    started = [r for r in facts.reports if r.period.start <= as_of]
    latest = max(started, key=lambda r: (r.period, r.revision), default=None)
    due = _due_quarter(facts, as_of, rules.report_grace_days)

    def result(status: str, checks: list[Check], reason: str) -> Evaluation:
        return Evaluation(facts.project_id, as_of, fiscal_year, status, checks, latest, due, reason)

    if latest is None:
        return result(NOT_REPORTING, [], "no progress report yet")
    if latest.percent_complete >= 100 and latest.milestones_done:
        return result(COMPLETED, [], f"{latest.period.label()} reports 100 percent and all milestones done")
    if due is not None and latest.period < due:
        return result(NOT_REPORTING, [], f"no report for {due.label()}, which is due")

    checks = [_progress_check(facts, latest, rules)]
    budget = _budget_check(facts, fiscal_year, as_of, rules)
    if budget is not None:
        checks.append(budget)
    checks.extend(_indicator_checks(facts, started, fiscal_year, rules))
    worst = max((c for c in checks if c.status in _SEVERITY), key=lambda c: _SEVERITY[c.status])
    if worst.status == ON_TRACK:
        return result(ON_TRACK, checks, "every check is within its threshold")
    return result(worst.status, checks, f"{worst.name}: {worst.detail}")


def _progress_check(facts: ProjectFacts, latest: ReportFacts, rules: Thresholds) -> Check:
    start_fy = facts.start_fy or latest.fiscal_year
    end_fy = facts.end_fy or latest.fiscal_year
    expected = _pct(elapsed_fraction(fiscal_year_range(start_fy)[0], fiscal_year_range(end_fy)[1], latest.period.end))
    lag = expected - latest.percent_complete
    status = _level(lag, rules.progress_at_risk_lag, rules.progress_off_track_lag)
    return Check(
        "progress", status, latest.percent_complete, expected, lag,
        f"{latest.percent_complete} percent reported for {latest.period.label()}, {expected} expected by then",
    )


def _budget_check(facts: ProjectFacts, fiscal_year: int, as_of: date, rules: Thresholds) -> Check | None:
    if facts.allocated <= 0:
        return None
    rate = (facts.disbursed / facts.allocated * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    elapsed = _pct(fiscal_year_elapsed(fiscal_year, as_of))
    lag = elapsed - rate
    status = _level(lag, rules.execution_at_risk_lag, rules.execution_off_track_lag)
    return Check(
        "budget_execution", status, rate, elapsed, lag,
        f"{rate} percent of the FY{fiscal_year} allocation disbursed with {elapsed} percent of the year elapsed",
    )


def indicator_check(
    indicator: IndicatorFacts, fiscal_year: int, actual: Decimal | None, quarter: int | None, rules: Thresholds
) -> Check | None:
    """One indicator's latest actual in a fiscal year against that year's target (None: not scored)."""
    target = indicator.targets.get(fiscal_year)
    if indicator.measure_type == "qualitative" or target is None:
        return None
    name = f"indicator:{indicator.code}"
    if actual is None or quarter is None:
        return Check(name, "no_actual", None, target, None, f"no actual reported in FY{fiscal_year}")
    achieved = achievement(actual, target, indicator.direction, indicator.baseline)
    expected = Decimal(quarter * 25)  # targets are year-end targets: a quarter's share of the year
    lag = expected - achieved
    status = _level(lag, rules.indicator_at_risk_lag, rules.indicator_off_track_lag)
    return Check(
        name, status, achieved, expected, lag,
        f"actual {actual} against FY{fiscal_year} target {target} ({indicator.direction.replace('_', ' ')})"
        f" is {_s(achieved)} percent achieved, {expected} expected by Q{quarter}",
    )


def _indicator_checks(
    facts: ProjectFacts, reports: list[ReportFacts], fiscal_year: int, rules: Thresholds
) -> list[Check]:
    in_year = sorted((r for r in reports if r.fiscal_year == fiscal_year), key=lambda r: r.period, reverse=True)
    checks = []
    for indicator in facts.indicators:
        source = next((r for r in in_year if indicator.indicator_id in r.actuals), None)
        check = indicator_check(
            indicator, fiscal_year,
            source.actuals[indicator.indicator_id] if source else None,
            source.quarter if source else None,
            rules,
        )
        if check is not None:
            checks.append(check)
    return checks


def roll_up(statuses: list[str], rules: Thresholds) -> dict:
    """Status of a group of projects with the counts behind it."""
    counts = Counter(statuses)
    total = len(statuses)
    attention = counts[OFF_TRACK] + counts[AT_RISK] + counts[NOT_REPORTING]
    share = Decimal(str(rules.rollup_attention_share))
    if total == 0 or counts[NOT_REPORTING] == total:
        status = NOT_REPORTING
    elif counts[COMPLETED] == total:
        status = COMPLETED
    elif Decimal(counts[OFF_TRACK]) / total >= share and counts[OFF_TRACK] > 0:
        status = OFF_TRACK
    elif counts[OFF_TRACK] > 0 or (
        attention > 0 and Decimal(attention) / total >= share
    ):
        status = AT_RISK
    else:
        status = ON_TRACK
    return {"status": status, "project_count": total, "by_status": {s: counts.get(s, 0) for s in STATUSES}}
