"""Use cases run without HTTP or a database, on a fake unit of work: what they store, what they
refuse, what they publish. The API tests check the same behaviour through the routes."""

from datetime import date
from decimal import Decimal as D

import pytest

from dgplan_contracts.identity import Principal
from dgplan_shared.commands import execute
from dgplan_shared.errors import ProblemError
from monitoring.application import announce_status, create_indicator, get_project_evaluation, submit_progress_report
from monitoring.application.create_indicator import CreateIndicator
from monitoring.application.submit_progress_report import SubmitProgressReport
from monitoring.domain.evaluation import NOT_REPORTING, OFF_TRACK, ON_TRACK, Thresholds
from monitoring.domain.indicators import IndicatorDefinition
from monitoring.events.types import PROJECT_STATUS_CHANGED, REPORT_SUBMITTED
from monitoring_fakes import FakeUnitOfWork

SECRETARIAT = Principal("dga-staff", frozenset({"secretariat"}))
MOF = Principal("mof-system", frozenset({"agency"}), agency="MOF")
OPDC = Principal("opdc-system", frozenset({"agency"}), agency="OPDC")
RULES = Thresholds()


def kpi(code: str = "KPI-1", link_id: str = "p1", **extra) -> IndicatorDefinition:  # type: ignore[no-untyped-def]
    return IndicatorDefinition(code=code, name_th="ตัวชี้วัด", name_en="KPI", unit="percent", measure_type="percent",
                               link_type="project", link_id=link_id, **extra)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.read_models.add_project("p1", lead="MOF")
    return fake


# -- create an indicator ------------------------------------------------------------------------

async def test_the_secretariat_defines_an_indicator_with_canonical_targets(uow):
    answer = await execute(lambda: uow, create_indicator.handle, CreateIndicator(
        SECRETARIAT, kpi(targets=((2565, D("80.00")), (2566, D("90.5"))), baseline=D("10.0"))), status=201)
    view = answer.body
    assert answer.status == 201 and uow.committed == 1
    assert view["version"] == 1 and view["link"] == {"type": "project", "id": "p1"}
    assert view["targets"] == [{"fiscal_year": 2565, "target": "80"}, {"fiscal_year": 2566, "target": "90.5"}]
    assert view["baseline"] == "10"
    assert uow.published == []  # defining an indicator announces nothing


@pytest.mark.parametrize(("definition", "status", "slug"), [
    (kpi(link_id="ghost"), 422, "unknown-link"),
    (kpi(targets=((2565, D("120")),)), 422, "validation-error"),
    (kpi(targets=((2565, D("1")), (2565, D("2")))), 422, "validation-error"),
])
async def test_an_indicator_that_cannot_be_is_refused_and_nothing_is_stored(uow, definition, status, slug):
    with pytest.raises(ProblemError) as refused:
        await create_indicator.handle(CreateIndicator(SECRETARIAT, definition), uow)
    assert (refused.value.status, refused.value.slug) == (status, slug)
    assert uow.indicators.rows == {}


async def test_an_indicator_code_is_taken_once_and_only_the_secretariat_defines(uow):
    await create_indicator.handle(CreateIndicator(SECRETARIAT, kpi()), uow)
    with pytest.raises(ProblemError) as taken:
        await create_indicator.handle(CreateIndicator(SECRETARIAT, kpi()), uow)
    assert (taken.value.status, taken.value.slug) == (409, "indicator-code-taken")
    with pytest.raises(ProblemError) as forbidden:
        await create_indicator.handle(CreateIndicator(MOF, kpi(code="KPI-2")), uow)
    assert forbidden.value.status == 403
    assert len(uow.indicators.rows) == 1


# -- announce a project's status ----------------------------------------------------------------

async def test_a_status_is_announced_when_it_changes_and_only_then(uow):
    day = date(2022, 5, 15)  # Q2 FY2565 is due and unreported
    first = await announce_status.handle(announce_status.AnnounceStatus("p1", day, RULES), uow)
    assert first is not None and first.status == NOT_REPORTING
    (event,) = uow.of_type(PROJECT_STATUS_CHANGED)
    assert (event.subject, event.data["previous_status"], event.data["status"]) == ("p1", None, NOT_REPORTING)
    assert event.data["fiscal_year"] == 2565 and event.data["as_of"] == "2022-05-15"

    await announce_status.handle(announce_status.AnnounceStatus("p1", day, RULES), uow)
    assert len(uow.of_type(PROJECT_STATUS_CHANGED)) == 1  # same status: nothing new to say
    assert uow.statuses.rows["p1"]["status"] == NOT_REPORTING


async def test_an_unknown_project_is_not_evaluated(uow):
    assert await announce_status.handle(announce_status.AnnounceStatus("ghost", date(2022, 5, 15), RULES), uow) is None
    assert uow.published == [] and uow.statuses.rows == {}


# -- submit a progress report -------------------------------------------------------------------

def report(principal: Principal = MOF, **extra) -> SubmitProgressReport:  # type: ignore[no-untyped-def]
    values = {"project_id": "p1", "fiscal_year": 2565, "quarter": 2, "percent_complete": D("50"),
              "today": date(2022, 4, 20), "rules": RULES, **extra}
    return SubmitProgressReport(principal=principal, **values)


async def test_the_lead_agency_reports_and_the_report_and_the_new_status_are_published(uow):
    view = await submit_progress_report.handle(report(issues=({"kind": "risk", "description": {"th": "เสี่ยง"}},)), uow)
    assert (view["revision"], view["percent_complete"], view["agency"]) == (1, "50.00", "MOF")
    assert view["evaluation"]["status"] == ON_TRACK
    (submitted,) = uow.of_type(REPORT_SUBMITTED)
    assert submitted.data["report_id"] == view["report_id"] and submitted.data["risks"] == 1
    assert [e.data["status"] for e in uow.of_type(PROJECT_STATUS_CHANGED)] == [ON_TRACK]


async def test_a_report_is_refused_for_another_agency_a_second_time_and_outside_the_project_years(uow):
    with pytest.raises(ProblemError) as other:
        await submit_progress_report.handle(report(OPDC), uow)
    assert other.value.status == 403
    await submit_progress_report.handle(report(), uow)
    with pytest.raises(ProblemError) as again:
        await submit_progress_report.handle(report(), uow)
    assert (again.value.status, again.value.slug) == (409, "duplicate-progress-report")
    with pytest.raises(ProblemError) as outside:
        await submit_progress_report.handle(report(fiscal_year=2567), uow)
    assert (outside.value.status, outside.value.slug) == (422, "outside-project-years")
    assert len(uow.reports.rows) == 1


# -- evaluation rules through a query -----------------------------------------------------------

async def test_a_lagging_report_evaluates_off_track_for_an_agency_taking_part(uow):
    await submit_progress_report.handle(report(percent_complete=D("5")), uow)
    result = await get_project_evaluation.handle(get_project_evaluation.GetProjectEvaluation(
        MOF, "p1", date(2022, 4, 20), RULES), uow)
    assert result["status"] == OFF_TRACK and result["code"] == "p1"
    with pytest.raises(ProblemError) as hidden:
        await get_project_evaluation.handle(get_project_evaluation.GetProjectEvaluation(
            OPDC, "p1", date(2022, 4, 20), RULES), uow)
    assert hidden.value.status == 403
