"""Every evaluation rule, pure (no database): as-of reproducible statuses and roll-ups."""

from datetime import date
from decimal import Decimal as D

import pytest

from monitoring.domain.evaluation import (
    AT_RISK,
    COMPLETED,
    NOT_REPORTING,
    OFF_TRACK,
    ON_TRACK,
    IndicatorFacts,
    ProjectFacts,
    ReportFacts,
    Thresholds,
    evaluate_project,
    roll_up,
)
from monitoring.domain.indicators import Formula, achievement

RULES = Thresholds()


def report(fy=2565, q=1, pct="25", done=False, actuals=None, revision=1):  # type: ignore[no-untyped-def]
    return ReportFacts(fy, q, revision, D(pct), done, actuals or {})


def project(reports, start=2565, end=2565, allocated="0", disbursed="0", indicators=()):  # type: ignore[no-untyped-def]
    return ProjectFacts("p1", start, end, list(reports), list(indicators), D(allocated), D(disbursed))


def test_no_report_is_not_reporting():
    result = evaluate_project(project([]), date(2021, 11, 1), RULES)
    assert (result.status, result.at_risk) == (NOT_REPORTING, False)


def test_a_report_for_a_quarter_that_has_not_started_does_not_count():
    result = evaluate_project(project([report(q=3, pct="60")]), date(2022, 2, 1), RULES)
    assert result.status == NOT_REPORTING


def test_missing_the_last_due_quarter_is_not_reporting():
    # Q1 reported; on 15 May Q2 (ended 31 Mar, +30 days grace) is due and missing.
    facts = project([report(q=1, pct="25")])
    assert evaluate_project(facts, date(2022, 4, 30), RULES).status == ON_TRACK
    late = evaluate_project(facts, date(2022, 5, 15), RULES)
    assert late.status == NOT_REPORTING
    assert "FY2565-Q2" in late.reason


def test_quarters_after_the_project_ended_are_not_due():
    facts = project([report(fy=2565, q=4, pct="95")], start=2565, end=2565)
    assert evaluate_project(facts, date(2023, 6, 1), RULES).status == ON_TRACK


def test_completed_needs_100_percent_and_every_milestone_done():
    assert evaluate_project(project([report(q=4, pct="100", done=True)]), date(2022, 9, 1), RULES).status == COMPLETED
    unfinished = evaluate_project(project([report(q=4, pct="100", done=False)]), date(2022, 9, 1), RULES)
    assert unfinished.status == ON_TRACK


@pytest.mark.parametrize(
    ("pct", "status"),
    [("25", ON_TRACK), ("15.21", ON_TRACK), ("15", AT_RISK), ("0.2", OFF_TRACK), ("60", ON_TRACK)],
)
def test_progress_lag_against_time(pct, status):
    # One-year project; Q1 ends 31 Dec: 25.21 % of the year has passed (92/365).
    result = evaluate_project(project([report(q=1, pct=pct)]), date(2022, 1, 10), RULES)
    assert result.status == status
    assert result.checks[0].name == "progress"
    assert result.checks[0].expected == D("25.21")


def test_expected_progress_spans_the_whole_multi_year_project():
    # FY2563-2565 project, Q1 of its last year: 2 years + 92 days of 3 years (1096 days) = 75.09 %.
    facts = project([report(fy=2565, q=1, pct="70")], start=2563, end=2565)
    check = evaluate_project(facts, date(2022, 1, 10), RULES).checks[0]
    assert check.expected == D("75.09")
    assert check.status == ON_TRACK


@pytest.mark.parametrize(
    ("disbursed", "status"),
    [("500.00", ON_TRACK), ("300.00", AT_RISK), ("90.00", OFF_TRACK)],
)
def test_budget_execution_against_time_elapsed(disbursed, status):
    # 31 Mar 2022: 49.86 % of FY2565 elapsed; with a 15-point at-risk threshold 30 % disbursed is at risk.
    facts = project([report(q=2, pct="50")], allocated="1000.00", disbursed=disbursed)
    result = evaluate_project(facts, date(2022, 3, 31), Thresholds(execution_at_risk_lag=15))
    budget = next(c for c in result.checks if c.name == "budget_execution")
    assert budget.expected == D("49.86")
    assert result.status == status


def test_no_allocation_means_no_budget_check():
    result = evaluate_project(project([report(q=1)]), date(2022, 1, 10), RULES)
    assert [c.name for c in result.checks] == ["progress"]


def indicator(direction="higher_is_better", target="80", baseline=None, measure="percent"):  # type: ignore[no-untyped-def]
    return IndicatorFacts("i1", "KPI-1", measure, direction, D(baseline) if baseline else None, {2565: D(target)})


@pytest.mark.parametrize(
    ("direction", "target", "baseline", "actual", "status"),
    [
        ("higher_is_better", "80", None, "40", ON_TRACK),      # Q2: 50 % achieved, 50 expected
        ("higher_is_better", "80", None, "28", AT_RISK),       # 35 % achieved, lag 15
        ("higher_is_better", "80", None, "8", OFF_TRACK),      # 10 % achieved, lag 40
        ("higher_is_better", "80", "60", "70", ON_TRACK),      # half way from baseline 60 to 80
        ("higher_is_better", "80", "60", "62", OFF_TRACK),     # 10 % of the way
        ("lower_is_better", "10", "30", "20", ON_TRACK),       # half way down from 30 to 10
        ("lower_is_better", "10", "30", "29", OFF_TRACK),      # barely moved down
        ("lower_is_better", "10", None, "9", ON_TRACK),        # already at or below target
    ],
)
def test_indicator_actuals_against_the_fiscal_year_target(direction, target, baseline, actual, status):
    facts = project([report(q=2, pct="50", actuals={"i1": D(actual)})],
                    indicators=[indicator(direction, target, baseline)])
    result = evaluate_project(facts, date(2022, 4, 15), RULES)
    check = next(c for c in result.checks if c.name == "indicator:KPI-1")
    assert check.status == status
    assert result.status == status


def test_indicator_uses_its_latest_actual_in_the_year_and_skips_qualitative():
    facts = project(
        [report(q=1, pct="25", actuals={"i1": D("5")}), report(q=2, pct="50", actuals={})],
        indicators=[indicator(target="20", measure="number"),
                    IndicatorFacts("q", "QUAL", "qualitative", "higher_is_better", None, {})],
    )
    check = next(c for c in evaluate_project(facts, date(2022, 4, 15), RULES).checks if c.name.startswith("indic"))
    assert (check.measured, check.expected, check.status) == (D("25"), D("25"), ON_TRACK)  # Q1 actual vs Q1 share
    assert [c.name for c in evaluate_project(facts, date(2022, 4, 15), RULES).checks] == ["progress", "indicator:KPI-1"]


def test_indicator_without_an_actual_is_listed_not_scored():
    facts = project([report(q=1, pct="25")], indicators=[indicator()])
    result = evaluate_project(facts, date(2022, 1, 10), RULES)
    assert result.status == ON_TRACK
    assert next(c for c in result.checks if c.name == "indicator:KPI-1").status == "no_actual"


def test_worst_check_wins_and_at_risk_flag():
    facts = project([report(q=2, pct="50")], allocated="100.00", disbursed="0.00")
    result = evaluate_project(facts, date(2022, 3, 31), RULES)
    assert result.status == OFF_TRACK and result.at_risk
    assert result.reason.startswith("budget_execution")


def test_the_latest_revision_of_a_quarter_is_used():
    facts = project([report(q=1, pct="5", revision=1), report(q=1, pct="25", revision=2)])
    assert evaluate_project(facts, date(2022, 1, 10), RULES).status == ON_TRACK


def test_thresholds_are_configurable():
    facts = project([report(q=1, pct="15")])
    assert evaluate_project(facts, date(2022, 1, 10), RULES).status == AT_RISK
    assert evaluate_project(facts, date(2022, 1, 10), Thresholds(progress_at_risk_lag=12)).status == ON_TRACK


def test_formula_and_achievement_arithmetic():
    assert Formula("served online", "all services", D(100)).apply(D(45), D(90)) == D(50)
    with pytest.raises(ZeroDivisionError):
        Formula("a", "b").apply(D(1), D(0))
    assert achievement(D(200), D(100), "higher_is_better") == D(150)  # capped
    assert achievement(D(50), D(0), "lower_is_better") == D(0)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NOT_REPORTING),
        ([NOT_REPORTING] * 3, NOT_REPORTING),
        ([COMPLETED] * 2, COMPLETED),
        ([ON_TRACK] * 3 + [COMPLETED], ON_TRACK),
        ([ON_TRACK] * 3 + [OFF_TRACK], OFF_TRACK),
        ([ON_TRACK] * 4 + [OFF_TRACK], AT_RISK),
        ([ON_TRACK] * 3 + [AT_RISK], AT_RISK),
        ([ON_TRACK] * 3 + [NOT_REPORTING], AT_RISK),
        ([ON_TRACK] * 4 + [AT_RISK], ON_TRACK),
    ],
)
def test_roll_up(statuses, expected):
    rolled = roll_up(statuses, RULES)
    assert rolled["status"] == expected
    assert rolled["project_count"] == len(statuses)
