"""Issue 17, monitoring's side: budget and progress by National Strategy goal, adding up exactly to
the plan's totals; a project continued into the next plan shows its money and indicators across
both plans; both through the read models the registry's and the ledger's events build."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings as hypothesis_settings, strategies as st

from monitoring.domain.alignment import GoalLinks, PlanFigures, by_goal
from monitoring_test_events import (
    PLAN_ID,
    feed,
    plan_drafted,
    posting,
    project,
    seed_plan_events,
    structure_published,
    version_approved,
)

REPORT = "/api/v1/monitoring/reports/alignment"
NS = "national-strategy"
TITLES = {
    "NS-2": ("ยุทธศาสตร์ชาติด้านการสร้างความสามารถในการแข่งขัน", "Competitiveness enhancement"),
    "NS-3": ("ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์", "Human capital development and strengthening"),
    "NS-4": ("ยุทธศาสตร์ชาติด้านการสร้างโอกาสและความเสมอภาคทางสังคม", "Social opportunity and equality"),
    "NS-6": ("ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ", "Public sector rebalancing and development"),
}


def link(node_id: str, node_type: str, goal: str, strength: str = "primary", node: str | None = None) -> dict:
    th, en = TITLES[goal]
    return {"node_id": node_id, "node_type": node_type, "framework": NS, "framework_node": node or goal,
            "goal": goal, "goal_title": {"th": th, "en": en}, "strength": strength}


# The seed plan's links, written for the test: the plan itself counts to NS-6; S1 to NS-4 (and NS-6
# secondarily); S2 to NS-2; one S1 project to NS-2 on its own; S3's first measure to NS-3 (S3 and S4
# have no link of their own: their framework falls to the plan's NS-6).
LINKS = [
    link("root-1", "plan", "NS-6"),
    link(f"{PLAN_ID}-S1", "strategy", "NS-4", node="NS-4.1"),
    link(f"{PLAN_ID}-S1", "strategy", "NS-6", strength="secondary"),
    link(f"{PLAN_ID}-S2", "strategy", "NS-2"),
    link("P-S1-02", "project", "NS-2"),
    link(f"{PLAN_ID}-S3-M1", "measure", "NS-3"),
]


async def _aligned_plan(runtime, *extra):  # type: ignore[no-untyped-def]
    events = seed_plan_events()
    events[1] = structure_published(alignments=LINKS)
    await feed(runtime, *events, *extra)


def _rows(report: dict) -> dict:
    return {r["goal"]: r for r in report["rows"]}


async def test_budget_and_progress_by_national_strategy_goal_add_up_to_the_plan(client, identity, runtime, settings):
    settings.fixed_today = date(2022, 5, 15)
    await _aligned_plan(
        runtime,
        posting("allocation", "a1", "P-S1-01", "100000000.00"),
        posting("allocation", "a2", "P-S1-02", "30000000.00"),
        posting("disbursement", "d2", "P-S1-02", "10000000.00"),
        posting("allocation", "a3", "P-S3-01", "50000000.00", strategy="S3", agency="MDES"),
        # a project monitoring never heard of: counted by the strategy the ledger names
        posting("allocation", "a4", "P-ELSEWHERE", "5000000.00", strategy="S2"),
        posting("allocation", "a0", "P-S1-01", "7000000.00", fiscal_year=2564),
    )
    response = await client.post("/api/v1/monitoring/progress-reports", headers={
        **identity("agency", agency="MOF"), "Idempotency-Key": "r1"}, json={
        "project_id": "P-S1-01", "fiscal_year": 2565, "quarter": 1, "percent_complete": "70"})
    assert response.status_code == 201, response.text

    response = await client.get(REPORT, params={"plan_id": PLAN_ID, "fiscal_year": 2565})  # public: approved
    assert response.status_code == 200, response.text
    report = response.json()
    rows = _rows(report)
    assert list(rows) == ["NS-2", "NS-3", "NS-4", "NS-6"]  # natural order; nothing unaligned
    assert rows["NS-4"]["title"] == {"th": TITLES["NS-4"][0], "en": TITLES["NS-4"][1]}
    assert {g: r["budget"]["framework"] for g, r in rows.items()} == {
        "NS-2": "518460000.00", "NS-3": "0.00", "NS-4": "4879870000.00", "NS-6": "1106360000.00"}
    assert {g: (r["budget"]["allocated"], r["budget"]["disbursed"]) for g, r in rows.items()} == {
        "NS-2": ("35000000.00", "10000000.00"), "NS-3": ("50000000.00", "0.00"),
        "NS-4": ("100000000.00", "0.00"), "NS-6": ("0.00", "0.00")}
    assert rows["NS-2"]["budget"]["execution_rate"] == "28.57"
    assert {g: r["strategies"] for g, r in rows.items()} == {"NS-2": ["S2"], "NS-3": [], "NS-4": ["S1"],
                                                             "NS-6": ["S3", "S4"]}
    assert rows["NS-6"]["secondary"] == [{"node_id": f"{PLAN_ID}-S1", "node_type": "strategy", "framework_node": "NS-6"}]
    assert {g: r["progress"]["projects"] for g, r in rows.items()} == {"NS-2": 3, "NS-3": 2, "NS-4": 3, "NS-6": 2}
    assert rows["NS-4"]["progress"] == {"projects": 3, "reporting_projects": 1, "mean_percent_complete": "70.00"}

    # The total row is the plan's totals: its framework, and what budget execution shows for the plan.
    execution = (await client.get("/api/v1/monitoring/budget-execution",
                                  params={"plan_id": PLAN_ID, "fiscal_year": 2565})).json()
    card = (await client.get(f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard", params={"fiscal_year": 2565})).json()
    total = report["total"]
    assert total["budget"] == {"framework": card["budget"]["framework"], **execution["total"]}
    assert total["budget"]["framework"] == "6504690000.00" and total["budget"]["allocated"] == "185000000.00"
    assert total["progress"]["projects"] == card["project_count"] == 10
    for column in ("framework", "allocated", "committed", "disbursed"):
        assert sum(Decimal(r["budget"][column]) for r in report["rows"]) == Decimal(total["budget"][column]), column

    every_year = (await client.get(REPORT, params={"plan_id": PLAN_ID})).json()
    assert _rows(every_year)["NS-4"]["budget"]["allocated"] == "107000000.00"

    as_csv = await client.get(REPORT, params={"plan_id": PLAN_ID, "fiscal_year": 2565, "format": "csv"})
    lines = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [line["goal"] for line in lines] == ["NS-2", "NS-3", "NS-4", "NS-6", "total"]
    assert lines[2]["title_th"] == TITLES["NS-4"][0] and lines[-1]["allocated"] == "185000000.00"


async def test_a_plan_without_links_is_reported_unaligned_and_bad_requests_say_why(client, runtime, settings):
    settings.fixed_today = date(2022, 5, 15)
    await feed(runtime, *seed_plan_events(), posting("allocation", "a1", "P-S1-01", "1.00"))
    report = (await client.get(REPORT, params={"plan_id": PLAN_ID})).json()
    assert [r["goal"] for r in report["rows"]] == [None]
    assert report["rows"][0]["budget"]["framework"] == report["total"]["budget"]["framework"] == "6504690000.00"
    missing = await client.get(REPORT, params={"plan_id": "no-such-plan"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    bad = await client.get(REPORT, params={"plan_id": PLAN_ID, "framework": "' OR 1=1"})
    assert bad.status_code == 422 and "framework" in bad.text


async def test_a_draft_plan_report_is_for_participants_only(client, identity, runtime):
    await feed(runtime, plan_drafted("plan-next"), structure_published("plan-next", "v9", 2566, 2570, LINKS))
    assert (await client.get(REPORT, params={"plan_id": "plan-next"})).status_code == 401
    seen = await client.get(REPORT, params={"plan_id": "plan-next"}, headers=identity("secretariat"))
    assert seen.status_code == 200, seen.text


# -- the property: whatever the links and postings, the rows add up to the totals -------------------

GOALS = st.sampled_from(["NS-1", "NS-2", "NS-3", "NS-10"])
SATANG = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n) / 100)


@st.composite
def plans(draw):  # type: ignore[no-untyped-def]
    strategies = [{"strategy_id": f"s{i}", "code": f"S{i}", "budget_framework": draw(st.one_of(st.none(), SATANG))}
                  for i in range(draw(st.integers(0, 5)))]
    projects = {}
    for i in range(draw(st.integers(0, 8))):
        strategy = draw(st.sampled_from([s["strategy_id"] for s in strategies] or [None]))
        projects[f"p{i}"] = {"project_id": f"p{i}", "strategy_id": strategy,
                             "measure_id": draw(st.sampled_from([None, f"m-{strategy}"])), "work_plan_id": None}
    nodes = ["root", *[s["strategy_id"] for s in strategies], *projects, *[f"m-{s['strategy_id']}" for s in strategies]]
    rows = []
    for node in draw(st.lists(st.sampled_from(nodes), unique=True)):
        rows.append({"node_id": node, "node_type": "plan" if node == "root" else "other", "goal": draw(GOALS),
                     "framework_node": "x", "goal_title_th": None, "goal_title_en": None,
                     "strength": draw(st.sampled_from(["primary", "secondary"]))})
    postings = [(draw(st.sampled_from([*projects, "unknown", None])), draw(st.sampled_from([None, *[s["strategy_id"] for s in strategies]])),
                 draw(st.sampled_from(["allocation", "commitment", "disbursement"])), draw(SATANG))
                for _ in range(draw(st.integers(0, 12)))]
    percents = [(p, draw(st.one_of(st.none(), st.integers(0, 10000).map(lambda n: Decimal(n) / 100))))
                for p in projects.values()]
    return rows, PlanFigures(draw(st.one_of(st.none(), SATANG)), strategies, projects, postings, percents)


@hypothesis_settings(max_examples=300, deadline=None)
@given(plans())
def test_goals_always_add_up_to_the_plan_totals(plan):  # type: ignore[no-untyped-def]
    rows, figures = plan
    report = by_goal(GoalLinks.of(rows), figures)
    total = report["total"]
    for column in ("framework", "allocated", "committed", "disbursed"):
        assert sum(Decimal(r["budget"][column]) for r in report["rows"]) == Decimal(total["budget"][column]), column
    expected_framework = (figures.plan_framework if figures.plan_framework is not None
                          else sum((s["budget_framework"] or Decimal(0) for s in figures.strategies), Decimal(0)))
    assert Decimal(total["budget"]["framework"]) == expected_framework
    for kind, column in (("allocation", "allocated"), ("commitment", "committed"), ("disbursement", "disbursed")):
        assert Decimal(total["budget"][column]) == sum((a for _, _, k, a in figures.postings if k == kind), Decimal(0))
    assert sum(r["progress"]["projects"] for r in report["rows"]) == total["progress"]["projects"] == len(figures.progress)
    assert sum(r["progress"]["reporting_projects"] for r in report["rows"]) == total["progress"]["reporting_projects"]
    goals = [r["goal"] for r in report["rows"]]
    assert len(goals) == len(set(goals))  # one row a goal


# -- continuity -----------------------------------------------------------------------------------

NEXT = "plan-next"


async def _two_plans(runtime, *, approved_next: bool = True):  # type: ignore[no-untyped-def]
    """The seed plan, and a next plan written for the test whose N-01 continues P-S1-01."""
    events = [
        *seed_plan_events(),
        plan_drafted(NEXT), structure_published(NEXT, "n1", 2566, 2570),
        project("N-01", plan_id=NEXT, version_id="n1", start_fy=2566, end_fy=2568, continues="P-S1-01",
                th="แพลตฟอร์มบริการประชาชน ระยะที่ 2", en="Citizen service platform, phase 2"),
    ]
    if approved_next:
        events.append(version_approved(NEXT, "n1", ("N-01",)))
    await feed(runtime, *events,
               posting("allocation", "a64", "P-S1-01", "7000000.00", fiscal_year=2564),
               posting("allocation", "a65", "P-S1-01", "100000000.00"),
               posting("disbursement", "d65", "P-S1-01", "60000000.00"),
               posting("allocation", "a66", "N-01", "40000000.00", fiscal_year=2566, plan_id=NEXT),
               posting("commitment", "c66", "N-01", "15000000.00", fiscal_year=2566, plan_id=NEXT))


async def test_a_continued_project_shows_its_money_and_indicators_across_both_plans(client, identity, runtime):
    await _two_plans(runtime)
    secretariat = identity("secretariat")
    indicators = {}
    for project_id, code, targets in (("P-S1-01", "IND-OLD", [(2565, "50")]), ("N-01", "IND-NEW", [(2566, "80")])):
        made = await client.post("/api/v1/monitoring/indicators", headers={**secretariat, "Idempotency-Key": code}, json={
            "code": code, "name": {"th": "ผู้ใช้บริการ", "en": "Service users"}, "unit": "percent",
            "measure_type": "percent", "targets": [{"fiscal_year": fy, "target": t} for fy, t in targets],
            "link": {"type": "project", "id": project_id}})
        assert made.status_code == 201, made.text
        indicators[code] = made.json()["indicator_id"]
    reported = await client.post("/api/v1/monitoring/progress-reports", headers={
        **identity("agency", agency="MOF"), "Idempotency-Key": "q2"}, json={
        "project_id": "P-S1-01", "fiscal_year": 2565, "quarter": 2, "percent_complete": "60",
        "actuals": [{"indicator_id": indicators["IND-OLD"], "value": "45"}]})
    assert reported.status_code == 201, reported.text

    for asked in ("P-S1-01", "N-01"):  # the same line, asked from either end
        response = await client.get(f"/api/v1/monitoring/projects/{asked}/continuity")  # public: both approved
        assert response.status_code == 200, response.text
        line = response.json()
        assert line["project_id"] == asked
        assert [(p["project_id"], p["plan_id"], p["continues_project_id"]) for p in line["projects"]] == [
            ("P-S1-01", PLAN_ID, None), ("N-01", NEXT, "P-S1-01")]
        assert [(y["fiscal_year"], y["allocated"], y["committed"], y["disbursed"]) for y in line["budget_by_fiscal_year"]] == [
            (2564, "7000000.00", "0.00", "0.00"), (2565, "100000000.00", "0.00", "60000000.00"),
            (2566, "40000000.00", "15000000.00", "0.00")]
        assert line["total"]["allocated"] == "147000000.00"
        old, new = line["projects"]
        assert [y["fiscal_year"] for y in old["budget_by_fiscal_year"]] == [2564, 2565]
        assert [y["fiscal_year"] for y in new["budget_by_fiscal_year"]] == [2566]
        assert old["indicators"][0]["code"] == "IND-OLD"
        assert old["indicators"][0]["targets"] == [{"fiscal_year": 2565, "target": "50"}]
        assert old["indicators"][0]["actuals"] == [{"fiscal_year": 2565, "quarter": 2, "value": "45"}]
        assert new["indicators"][0]["code"] == "IND-NEW" and new["indicators"][0]["actuals"] == []
        assert new["title"]["th"] == "แพลตฟอร์มบริการประชาชน ระยะที่ 2"


async def test_a_drafts_continuation_stays_with_those_who_may_see_the_draft(client, identity, runtime):
    await _two_plans(runtime, approved_next=False)
    public = (await client.get("/api/v1/monitoring/projects/P-S1-01/continuity")).json()
    assert [p["project_id"] for p in public["projects"]] == ["P-S1-01"]  # N-01 is only proposed
    assert public["total"]["allocated"] == "107000000.00"
    assert (await client.get("/api/v1/monitoring/projects/N-01/continuity")).status_code == 404
    other = await client.get("/api/v1/monitoring/projects/N-01/continuity", headers=identity("agency", agency="OPDC"))
    assert other.status_code == 404
    own = await client.get("/api/v1/monitoring/projects/N-01/continuity", headers=identity("agency", agency="MOF"))
    assert own.status_code == 200 and [p["project_id"] for p in own.json()["projects"]] == ["P-S1-01", "N-01"]
    assert own.json()["projects"][1]["in_approved_version"] is False
    oversight = (await client.get("/api/v1/monitoring/projects/P-S1-01/continuity", headers=identity("secretariat"))).json()
    assert oversight["total"]["allocated"] == "147000000.00"
    assert (await client.get("/api/v1/monitoring/projects/nothing/continuity")).status_code == 404
