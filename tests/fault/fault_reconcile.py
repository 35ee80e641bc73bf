"""Reconciliation after the faults: read each service's own database (read-only, here only) and the APIs.

``drained`` says when every outbox is published and every consumer has every event it handles;
``reconcile`` returns the list of violated expectations (empty when all hold).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from importlib.metadata import entry_points
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dgplan_shared.topology import Topology
from fault_workload import POSTING_FY, Expectations

# What the ledger publishes for each posting stage, as the monitoring read model names it.
POSTED_KINDS = {"allocated": "allocation", "committed": "commitment", "disbursed": "disbursement"}


def baht(satang: int | None) -> Decimal:
    return (Decimal(satang or 0) / 100).quantize(Decimal("0.01"))


class Databases:
    """One engine per service database; every query is a read."""

    def __init__(self, topology: Topology) -> None:
        self.engines: dict[str, AsyncEngine] = {
            name: create_async_engine(svc.database_url, pool_size=2, max_overflow=0)
            for name, svc in topology.services.items()
        }
        definitions = {ep.name: ep.load()() for ep in entry_points(group="dgplan.services")}
        self.subscriptions = {
            name: (set(d.subscriptions), set(d.handlers.types)) for name, d in definitions.items() if d.subscriptions
        }

    async def rows(self, service: str, sql: str, **params: Any) -> list[dict[str, Any]]:
        async with self.engines[service].connect() as conn:
            return [dict(r) for r in (await conn.execute(text(sql), params)).mappings()]

    async def close(self) -> None:
        for engine in self.engines.values():
            await engine.dispose()

    async def undrained(self) -> list[str]:
        """What is still on its way: unpublished outbox rows, events a consumer has not handled yet."""
        waiting = []
        outboxes = {}
        for name in self.engines:
            outboxes[name] = await self.rows(name, "SELECT event_id, topic, event_type, published_at FROM outbox")
            unpublished = sum(1 for r in outboxes[name] if r["published_at"] is None)
            if unpublished:
                waiting.append(f"{name}: {unpublished} outbox rows unpublished")
        for consumer, (topics, types) in self.subscriptions.items():
            handled = {r["event_id"] for r in await self.rows(consumer, "SELECT event_id FROM inbox")}
            for producer, rows in outboxes.items():
                due = {r["event_id"] for r in rows if r["topic"] in topics and r["event_type"] in types}
                missing = due - handled
                if missing:
                    waiting.append(f"{consumer}: {len(missing)} of {producer}'s events not handled")
        return waiting


async def out_of_order(db: Databases, counts: dict[str, int]) -> list[str]:
    """Aggregates some consumer applied out of causal order: an event its owner wrote after an
    earlier one of the same topic and key was already published (so committed) must be applied
    after it, whichever consumer replica holds the partition. Times are the rows' own (every
    process shares the machine's clock): the outbox's ``created_at`` and ``published_at``, the
    consumer's inbox ``processed_at``.

    Only such pairs have an order to keep: two transactions on one key that overlap (two agencies'
    requests in one round) may commit in either order, and the relay publishes what is committed."""
    problems: list[str] = []
    outboxes = {name: await db.rows(name, "SELECT event_id, topic, key, event_type, created_at, published_at "
                                          "FROM outbox WHERE published_at IS NOT NULL ORDER BY id")
                for name in db.engines}
    pairs = 0
    for consumer, (topics, types) in db.subscriptions.items():
        applied = {r["event_id"]: r["processed_at"] for r in await db.rows(consumer, "SELECT event_id, processed_at FROM inbox")}
        for producer, rows in outboxes.items():
            streams: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for r in rows:
                if r["topic"] in topics and r["event_type"] in types and r["event_id"] in applied:
                    streams.setdefault((r["topic"], r["key"]), []).append(r)
            for (topic, key), events in streams.items():
                for i, earlier in enumerate(events):
                    for later in events[i + 1:]:
                        if later["created_at"] <= earlier["published_at"]:
                            continue  # concurrent with it: no order between the two
                        pairs += 1
                        if applied[later["event_id"]] < applied[earlier["event_id"]]:
                            problems.append(f"{consumer}: {producer}'s {later['event_type']} on {topic} for {key} "
                                            f"applied before the {earlier['event_type']} published ahead of it")
    counts["ordered event pairs checked"] = pairs
    return problems


async def reconcile(db: Databases, exp: Expectations, counts: dict[str, int] | None = None) -> list[str]:
    """``counts`` (if given) receives how much was compared, for the run's report."""
    problems: list[str] = []
    counts = {} if counts is None else counts

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    # --- plan registry: each registered project once in the draft version, which got approved
    codes = [c for c in exp.projects]
    nodes = await db.rows("plan-registry", "SELECT node_id, code, version_id FROM nodes WHERE node_type = 'project' "
                          "AND code LIKE 'FX%'")
    in_draft = Counter(n["code"] for n in nodes if n["version_id"] == exp.draft_version_id)
    for code, project in exp.projects.items():
        check(in_draft[code] == 1, f"registry: project {code} appears {in_draft[code]} times in the draft version")
        ids = {n["node_id"] for n in nodes if n["code"] == code}
        check(ids == {project["project_id"]}, f"registry: project {code} has ids {ids}")
    check(set(in_draft) == set(codes), f"registry: unacknowledged projects {set(in_draft) - set(codes)}")
    if exp.plan_instance_id:
        version = await db.rows("plan-registry", "SELECT status FROM plan_versions WHERE id = :v", v=exp.draft_version_id)
        check(version and version[0]["status"] == "approved", f"registry: draft version ended {version}")
        plan = await db.rows("plan-registry", "SELECT approved_version_id FROM plans WHERE id = :p", p=exp.plan_id)
        check(plan[0]["approved_version_id"] == exp.draft_version_id, f"registry: approved version {plan}")

    # --- read models of the projects: the ledger's and monitoring's
    project_ids = {p["project_id"]: p for p in exp.projects.values()}
    ledger_projects = {r["project_id"]: r for r in await db.rows("budget-ledger", "SELECT project_id, lead_agency FROM projects")}
    monitoring_projects = {r["project_id"]: r for r in await db.rows("monitoring", "SELECT project_id, lead_agency FROM rm_projects")}
    for pid, project in project_ids.items():
        check(ledger_projects.get(pid, {}).get("lead_agency") == project["lead"], f"ledger: project {pid} missing or wrong")
        check(monitoring_projects.get(pid, {}).get("lead_agency") == project["lead"], f"monitoring: project {pid} missing or wrong")

    # --- screening: requests, decisions, invariants, the approval's postings
    requests = {r["request_id"]: r for r in await db.rows(
        "budget-ledger", "SELECT request_id, project_id, requested_total, recommended_total, approved_total, decision "
        "FROM screening_requests WHERE round_id = :r", r=exp.round_id)}
    check(set(requests) == set(exp.requests), f"ledger: requests {set(requests) ^ set(exp.requests)} differ")
    per_project = Counter(r["project_id"] for r in requests.values())
    check(all(n == 1 for n in per_project.values()), f"ledger: projects with several requests {per_project}")
    entries = await db.rows("budget-ledger", "SELECT entry_id, stage, amount, reference, request_id, round_id, project_id, "
                            "fiscal_year, expense_category, appropriation_id FROM ledger_entries")
    by_request: dict[tuple[str, str], Decimal] = Counter()
    for e in entries:
        if e["request_id"]:
            by_request[(e["request_id"], e["stage"])] += baht(e["amount"])
    for request_id, expected in exp.requests.items():
        row = requests.get(request_id)
        if row is None:
            continue
        requested, recommended, approved = baht(row["requested_total"]), baht(row["recommended_total"]), baht(row["approved_total"])
        check(requested == expected["requested_total"], f"ledger: request {request_id} total {requested}")
        check(recommended <= requested, f"ledger: request {request_id} recommended {recommended} > requested {requested}")
        check(approved <= recommended, f"ledger: request {request_id} approved {approved} > recommended {recommended}")
        check(by_request[(request_id, "requested")] == requested,
              f"ledger: request {request_id} 'requested' entries sum {by_request[(request_id, 'requested')]} != {requested}")
        decided = exp.decisions.get(request_id)
        if decided:
            check(row["decision"] == decided["decision"], f"ledger: request {request_id} decision {row['decision']}")
            check(recommended == decided["recommended_total"], f"ledger: request {request_id} recommended {recommended}")
        if exp.screening_instance_id:
            check(by_request[(request_id, "allocated")] == approved,
                  f"ledger: request {request_id} allocated {by_request[(request_id, 'allocated')]} != approved {approved}")
    rounds = await db.rows("budget-ledger", "SELECT status, ceiling, approved_total FROM screening_rounds WHERE round_id = :r",
                           r=exp.round_id)
    round_row = rounds[0]
    approved_sum = sum((baht(r["approved_total"]) for r in requests.values()), Decimal("0.00"))
    recommended_sum = sum((baht(r["recommended_total"]) for r in requests.values()), Decimal("0.00"))
    check(baht(round_row["approved_total"]) == approved_sum, f"ledger: round approved {round_row['approved_total']} != {approved_sum}")
    check(recommended_sum <= baht(round_row["ceiling"]), f"ledger: round recommends {recommended_sum} over its ceiling")
    if exp.screening_instance_id:
        check(round_row["status"] == "approved", f"ledger: round is {round_row['status']}")
        check(approved_sum == recommended_sum, f"ledger: approved {approved_sum} != recommended {recommended_sum}")

    # --- postings: each acknowledged once, the stages' invariants per appropriation
    by_reference = Counter(e["reference"] for e in entries if e["reference"])
    entry_ids = {e["entry_id"]: e for e in entries}
    for reference, posted in exp.postings.items():
        check(by_reference[reference] == 1, f"ledger: posting {reference} appears {by_reference[reference]} times")
        entry = entry_ids.get(posted["entry_id"])
        check(entry is not None and baht(entry["amount"]) == posted["amount"] and entry["stage"] == posted["stage"],
              f"ledger: posting {reference} is {entry}")
    stage_sums: dict[tuple[int, str], Decimal] = Counter()
    for e in entries:
        stage_sums[(e["appropriation_id"], e["stage"])] += baht(e["amount"])
    for appropriation in {e["appropriation_id"] for e in entries}:
        allocated, committed, disbursed = (stage_sums[(appropriation, s)] for s in ("allocated", "committed", "disbursed"))
        check(committed <= allocated and disbursed <= committed,
              f"ledger: appropriation {appropriation} allocated {allocated} committed {committed} disbursed {disbursed}")
    workload_entries = [e for e in entries if e["reference"] in exp.postings and e["fiscal_year"] == POSTING_FY]
    check(len(workload_entries) == len(exp.postings), f"ledger: {len(workload_entries)} entries for {len(exp.postings)} postings")

    # --- monitoring: every allocation, commitment, disbursement once, with the ledger's amount
    rm_entries = {r["entry_id"]: r for r in await db.rows("monitoring", "SELECT entry_id, kind, amount FROM rm_budget_entries")}
    posted = {e["entry_id"]: e for e in entries if e["stage"] in POSTED_KINDS}
    check(set(rm_entries) == set(posted), f"monitoring: budget entries differ from the ledger's by {len(set(rm_entries) ^ set(posted))}")
    for entry_id, e in posted.items():
        rm = rm_entries.get(entry_id)
        if rm is not None:
            check(rm["kind"] == POSTED_KINDS[e["stage"]] and baht(rm["amount"]) == baht(e["amount"]),
                  f"monitoring: entry {entry_id} is {rm}, ledger says {e['stage']} {baht(e['amount'])}")
    reports = await db.rows("monitoring", "SELECT report_id, project_id, fiscal_year, quarter, revision FROM progress_reports "
                            "WHERE project_id = ANY(:ids)", ids=list(project_ids))
    by_report = {r["report_id"]: r for r in reports}
    check(set(by_report) == set(exp.reports), f"monitoring: reports differ by {set(by_report) ^ set(exp.reports)}")
    per_quarter = Counter((r["project_id"], r["fiscal_year"], r["quarter"]) for r in reports)
    check(all(n == 1 for n in per_quarter.values()), "monitoring: a quarter reported twice")
    seen = Counter(r["event_id"] for r in await db.rows("monitoring", "SELECT event_id FROM consumed_events"))
    check(all(n == 1 for n in seen.values()), f"monitoring: events applied twice {[k for k, n in seen.items() if n > 1][:5]}")

    # --- the approved version reached the read models once: the ledger's plan and framework, monitoring's plan
    if exp.plan_instance_id:
        ledger_plan = await db.rows("budget-ledger", "SELECT version_id FROM plans WHERE plan_id = :p", p=exp.plan_id)
        check(ledger_plan and ledger_plan[0]["version_id"] == exp.draft_version_id, f"ledger: plan version {ledger_plan}")
        framework = Counter((e["reference"], e["appropriation_id"]) for e in entries
                            if e["stage"] == "framework" and e["reference"] == exp.draft_version_id)
        check(all(n == 1 for n in framework.values()), "ledger: the approved version's framework posted twice")
        rm_plan = await db.rows("monitoring", "SELECT approved_version_id FROM rm_plans WHERE plan_id = :p", p=exp.plan_id)
        check(rm_plan and rm_plan[0]["approved_version_id"] == exp.draft_version_id, f"monitoring: plan {rm_plan}")

    # --- governance: one instance per round and per submitted version, every vote once
    if exp.package_submitted:
        instances = await db.rows("gateway", "SELECT id, stage, status FROM gov_instances WHERE round_id = :r", r=exp.round_id)
        check(len(instances) == 1, f"governance: {len(instances)} screening instances for the round")
        if instances:
            check(instances[0]["stage"] in ("posted", "closed"), f"governance: screening instance at {instances[0]['stage']}")
    if exp.version_submitted:
        instances = await db.rows("gateway", "SELECT id, status, outcome FROM gov_instances WHERE version_id = :v "
                                  "AND workflow_key = 'plan-approval'", v=exp.draft_version_id)
        check(len(instances) == 1, f"governance: {len(instances)} plan-approval instances for the version")
        if instances and exp.plan_instance_id:
            check(instances[0]["outcome"] == "approved", f"governance: plan approval ended {instances[0]}")
    votes = Counter((v["instance_id"], v["voter"], v["stage"]) for v in await db.rows(
        "gateway", "SELECT instance_id, voter, stage FROM gov_votes"))
    for vote in exp.votes:
        if vote["kind"] == "votes":
            key = (vote["instance_id"], vote["voter"], vote["stage"])
            check(votes[key] == 1, f"governance: vote {key} stored {votes[key]} times")

    # --- per-aggregate order: each consumer applied an aggregate's events (one topic, one key: one
    # partition) in the order their owner committed them, whichever replica held the partition
    problems += await out_of_order(db, counts)

    # --- no event lost, none applied twice: inbox rows unique, every producer event handled
    for consumer in db.subscriptions:
        inbox = Counter(r["event_id"] for r in await db.rows(consumer, "SELECT event_id FROM inbox"))
        check(all(n == 1 for n in inbox.values()), f"{consumer}: an event in the inbox twice")
        counts[f"{consumer} inbox"] = len(inbox)
    counts.update(projects=len(exp.projects), requests=len(requests), ledger_entries=len(entries),
                  monitoring_budget_entries=len(rm_entries), progress_reports=len(reports), votes=len(exp.votes))
    problems += await db.undrained()
    return problems
