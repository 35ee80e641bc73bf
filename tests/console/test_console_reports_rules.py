"""The agency progress pages' rules without a browser: what a typed quarterly report becomes for
the monitoring API (blanks left out, Thai digits passed on for the API to refuse by name), the
reasons of an evaluation worded in Thai from its figures, and the page queries over a fake gateway
(monitoring's refusal first, one refused project keeping the others on the evaluations page)."""

from __future__ import annotations

import json

import httpx
import pytest
from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.api.i18n import translations
from console.application import agency_evaluations, project_progress
from console.domain.evaluation_reasons import MESSAGES, Reason, reasons
from console.domain.report_form import ReportForm, actual_field, correction_form, report_body, whole_number

THAI = translations("th").gettext


def test_a_typed_report_is_sent_with_numbers_as_typed_and_blank_indicators_left_out():
    typed = {"fiscal_year": " 2564 ", "quarter": "3", "percent_complete": " 20.5% ",
             "narrative_th": " ดำเนินการตามแผน ", "narrative_en": "",
             actual_field("i-1", "value"): "1,250.5", actual_field("i-1", "note"): "เชื่อม ๒๕ แห่ง",
             actual_field("i-2", "value"): " ", actual_field("i-3", "note"): "ผู้ใช้พึงพอใจ"}
    assert report_body("p-1", typed, ["i-1", "i-2", "i-3"]) == {
        "project_id": "p-1", "fiscal_year": 2564, "quarter": 3, "percent_complete": "20.5",
        "narrative": {"th": "ดำเนินการตามแผน"},
        "actuals": [{"indicator_id": "i-1", "value": "1250.5", "note": "เชื่อม ๒๕ แห่ง"},
                    {"indicator_id": "i-3", "note": "ผู้ใช้พึงพอใจ"}],
    }


def test_what_the_console_cannot_read_is_passed_on_for_the_api_to_name():
    body = report_body("p", {"fiscal_year": "๒๕๖๔", "percent_complete": "", "narrative_en": "On plan",
                             actual_field("i", "value"): "๑๒"}, ["i"])
    assert body["fiscal_year"] == "๒๕๖๔" and "quarter" not in body and "percent_complete" not in body
    assert body["narrative"] == {"en": "On plan"}  # Thai is required: the API says so, not the console
    assert body["actuals"] == [{"indicator_id": "i", "value": "๑๒"}]
    assert whole_number(" ") is None and whole_number("12a") == "12a" and whole_number("4") == 4


def test_the_form_keeps_every_field_as_typed_and_reads_only_the_fields_it_drew():
    form = ReportForm.read({"fiscal_year": "2564", actual_field("i", "numerator"): "3", "stray": "x"}, ["i"])
    assert form.typed["fiscal_year"] == "2564" and form.typed[actual_field("i", "numerator")] == "3"
    assert form.typed["narrative_th"] == "" and form.typed[actual_field("i", "note")] == ""
    assert "stray" not in form.typed
    assert form.body("p", ["i"])["actuals"] == [{"indicator_id": "i", "numerator": "3"}]


def test_a_correction_starts_from_the_report_as_it_stands_and_names_it():
    report = {"report_id": "r-1", "fiscal_year": 2564, "quarter": 3, "percent_complete": "20.50",
              "narrative": {"th": "ตามแผน", "en": None},
              "actuals": [{"indicator_id": "i", "value": "12.5", "numerator": None, "note": "เชื่อม ๒๕ แห่ง"}]}
    typed = correction_form(report)
    assert typed["quarter"] == "3" and typed["percent_complete"] == "20.50" and typed["narrative_en"] == ""
    assert typed[actual_field("i", "value")] == "12.5" and actual_field("i", "numerator") not in typed
    typed["revision_reason"] = " นับใหม่ "
    body = ReportForm.read(typed, ["i"]).body("p", ["i"])
    assert body["revises_report_id"] == "r-1" and body["revision_reason"] == "นับใหม่"
    assert body["actuals"] == [{"indicator_id": "i", "value": "12.5", "note": "เชื่อม ๒๕ แห่ง"}]
    assert "revises_report_id" not in report_body("p", {"revision_reason": " "}, [])


def test_every_reason_has_a_thai_translation():
    untranslated = [m for m in MESSAGES if THAI(m) == m]
    assert untranslated == []


EVALUATION = {
    "status": "off_track", "fiscal_year": 2564, "as_of": "2021-07-15",
    "latest_report": {"fiscal_year": 2564, "quarter": 3, "percent_complete": "20.00"},
    "last_due_quarter": {"fiscal_year": 2564, "quarter": 2},
    "checks": [
        {"name": "progress", "status": "off_track", "measured": "20.00", "expected": "75.00", "detail": "…"},
        {"name": "budget_execution", "status": "on_track", "measured": "60.00", "expected": "78.08", "detail": "…"},
        {"name": "indicator:KPI-1", "status": "off_track", "measured": "15.63", "expected": "75.00", "detail": "…"},
        {"name": "indicator:KPI-2", "status": "no_actual", "measured": None, "expected": "50", "detail": "…"},
        {"name": "procurement", "status": "at_risk", "detail": "2 of 5 contracts signed"},
    ],
}


def test_the_reasons_of_an_evaluation_are_worded_from_its_figures_in_thai():
    found = [(r.status, r.text(THAI)) for r in reasons(EVALUATION)]
    assert found == [
        ("off_track", "ความก้าวหน้า: รายงานร้อยละ 20.00 ในปีงบประมาณ 2564 ไตรมาสที่ 3 ขณะที่แผนคาดไว้ร้อยละ 75.00"),
        ("on_track", ("การเบิกจ่ายงบประมาณ: เบิกจ่ายแล้วร้อยละ 60.00 ของงบประมาณที่ได้รับจัดสรรปีงบประมาณ 2564 "
                      "ขณะที่เวลาผ่านไปร้อยละ 78.08 ของปี")),
        ("off_track", ("ตัวชี้วัด KPI-1: บรรลุร้อยละ 15.63 ของค่าเป้าหมายปีงบประมาณ 2564 ขณะที่คาดไว้ร้อยละ 75.00 "
                       "ณ ไตรมาสที่รายงาน")),
        ("no_actual", "ตัวชี้วัด KPI-2: ยังไม่มีการรายงานผลการดำเนินงานในปีงบประมาณ 2564"),
        # A check this console does not know yet: monitoring's own words, never dropped.
        ("at_risk", "procurement: 2 of 5 contracts signed"),
    ]
    assert reasons(EVALUATION)[-1].msgid is None


def test_a_project_not_reporting_or_completed_has_one_reason_about_the_whole_project():
    none_yet = reasons({"status": "not_reporting", "latest_report": None, "checks": []})
    assert [r.text(THAI) for r in none_yet] == ["ยังไม่มีการส่งรายงานความก้าวหน้า"] and none_yet[0].status is None
    overdue = reasons({"status": "not_reporting", "latest_report": {"fiscal_year": 2565, "quarter": 1},
                       "last_due_quarter": {"fiscal_year": 2569, "quarter": 4}, "checks": []})
    assert overdue[0].text(THAI) == "ยังไม่มีรายงานของปีงบประมาณ 2569 ไตรมาสที่ 4 ซึ่งถึงกำหนดส่งแล้ว"
    done = reasons({"status": "completed", "latest_report": {"fiscal_year": 2565, "quarter": 4}, "checks": []})
    assert done == [Reason(None, done[0].msgid, {"year": 2565, "quarter": 4})]
    assert done[0].text(str) == "FY 2565 Q4 reports 100 percent complete with every milestone done."


def _gateway(answers: dict[str, httpx.Response], seen: list[httpx.Request]) -> GatewayClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.raw_path.split(b"?")[0].decode()  # as sent: an escaped slash stays escaped
        return answers.get(path) or httpx.Response(200, json={"items": [], "next_cursor": None})

    return GatewayClient("http://gw", "tok", 5, transport=httpx.MockTransport(answer))


FORBIDDEN = httpx.Response(403, json={"title": "Not allowed", "status": 403,
                                      "detail": "An agency sees only the projects it takes part in."})


async def test_monitorings_refusal_of_another_agencys_project_is_the_pages_answer_before_anything_is_read():
    seen: list[httpx.Request] = []
    gateway = _gateway({"/api/v1/monitoring/projects/p%2F1/evaluation": FORBIDDEN}, seen)
    with pytest.raises(ApiProblem) as refused:
        await project_progress.handle(project_progress.ShowProject("p/1", "OPDC"), gateway)
    assert (refused.value.status, refused.value.detail) == (403, "An agency sees only the projects it takes part in.")
    # The id from the URL stays one path segment; nothing else was asked for.
    assert [r.url.raw_path for r in seen] == [b"/api/v1/monitoring/projects/p%2F1/evaluation"]


async def test_the_project_page_reads_reports_newest_first_and_knows_who_reports():
    seen: list[httpx.Request] = []
    reports = [{"report_id": "r", "fiscal_year": 2564, "quarter": 3, "revision": 1,
                "actuals": [{"indicator_id": "i", "code": "K", "value": "12.5"}]}]
    gateway = _gateway({
        "/api/v1/monitoring/projects/p/evaluation": httpx.Response(200, json={"status": "not_reporting",
                                                                             "latest_report": None}),
        "/api/v1/projects/p": httpx.Response(200, json={"id": "p", "roles": [
            {"agency": "OPDC", "role": "supporting"}, {"agency": "MOF", "role": "lead"}]}),
        "/api/v1/monitoring/progress-reports": httpx.Response(200, json={"items": reports, "next_cursor": None}),
    }, seen)
    view = await project_progress.handle(project_progress.ShowProject("p", "MOF", "2021-07-15"), gateway)
    assert view.leads and view.actuals["i"][0].actual["value"] == "12.5"
    assert view.current_report(None) is None
    assert seen[0].url.params["as_of"] == "2021-07-15" and seen[-1].url.params["sort"] == "-period"
    supporting = await project_progress.handle(project_progress.ShowProject("p", "OPDC"), _gateway({
        "/api/v1/projects/p": httpx.Response(200, json={"id": "p", "roles": [{"agency": "MOF", "role": "lead"}]}),
        "/api/v1/monitoring/projects/p/evaluation": httpx.Response(200, json={"status": "on_track", "checks": []}),
    }, []))
    assert not supporting.leads


async def test_a_report_is_posted_to_monitoring_with_the_forms_idempotency_key():
    seen: list[httpx.Request] = []
    gateway = _gateway({"/api/v1/monitoring/progress-reports": httpx.Response(201, json={"report_id": "r"})}, seen)
    form = ReportForm.read({"fiscal_year": "2564", "quarter": "3", "percent_complete": "20"}, [])
    await project_progress.submit(project_progress.SubmitReport("p", form, [], "key-1"), gateway)
    assert seen[0].method == "POST" and seen[0].headers["idempotency-key"] == "key-1"
    assert json.loads(seen[0].content) == {"project_id": "p", "fiscal_year": 2564, "quarter": 3,
                                           "percent_complete": "20", "actuals": []}


async def test_one_refused_project_keeps_its_row_and_the_others_their_evaluations():
    projects = [{"id": "b", "code": "S1-P3"}, {"id": "a", "code": "S1-P1"}]
    gateway = _gateway({
        "/api/v1/projects": httpx.Response(200, json={"items": projects, "next_cursor": None}),
        "/api/v1/monitoring/projects/a/evaluation": httpx.Response(200, json={"status": "not_reporting",
                                                                             "latest_report": None}),
        "/api/v1/monitoring/projects/b/evaluation": httpx.Response(404, json={"title": "Not found", "status": 404}),
        "/api/v1/agencies/MOF": httpx.Response(200, json={"name": {"th": "กระทรวงการคลัง", "en": "MOF"}}),
    }, [])
    view = await agency_evaluations.handle(agency_evaluations.ShowEvaluations("MOF"), gateway)
    assert [(p.project["code"], p.evaluation is not None) for p in view.projects] == [("S1-P1", True), ("S1-P3", False)]
    assert view.projects[1].problem is not None and view.projects[1].problem.status == 404
    with pytest.raises(ApiProblem):
        await agency_evaluations.handle(agency_evaluations.ShowEvaluations(None), gateway)


def test_only_the_newest_revision_of_each_quarter_may_be_corrected():
    reports = [{"report_id": "q3-r2", "fiscal_year": 2564, "quarter": 3, "revision": 2},
               {"report_id": "q3-r1", "fiscal_year": 2564, "quarter": 3, "revision": 1},
               {"report_id": "q2-r1", "fiscal_year": 2564, "quarter": 2, "revision": 1}]
    view = project_progress.ProjectProgress({}, {}, [], [], reports, {}, True)
    assert view.current_report_ids == {"q3-r2", "q2-r1"}
    assert view.current_report("q3-r1") is None and view.current_report("q3-r2") is reports[0]
    reports[0]["actuals"] = [{"indicator_id": "i", "value": "13"}]
    reports[1]["actuals"] = [{"indicator_id": "i", "value": "12.5"}]
    assert [(a.quarter, a.revision, a.actual["value"]) for a in project_progress.actuals_by_indicator(reports)["i"]] == [
        (3, 2, "13")]
