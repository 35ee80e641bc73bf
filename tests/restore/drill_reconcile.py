"""Owners against read models, row for row, after the restore: the ledger's money per appropriation
against monitoring's budget entries, the registry's projects against monitoring's projects, and
no consumer holding an effect of an event its producer no longer has.

Reading is split from comparing: ``compare`` is a pure function of what was read, so the drill
can show it bites (a satang off, a project missing) on the very rows it passed.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fault_reconcile import Databases, baht

# The ledger's stages as monitoring's budget read model names them.
KIND_OF_STAGE = {"allocated": "allocation", "committed": "commitment", "disbursed": "disbursement"}
STAGES = tuple(KIND_OF_STAGE)
APPROPRIATION_KEY = ("plan_id", "strategy_id", "project_id", "fiscal_year", "expense_category")


@dataclass
class Observed:
    appropriations: list[dict[str, Any]] = field(default_factory=list)  # the ledger's running totals
    ledger_entries: list[dict[str, Any]] = field(default_factory=list)  # the ledger's postings
    rm_budget_entries: list[dict[str, Any]] = field(default_factory=list)  # monitoring's copy of them
    registry_projects: dict[str, dict[str, Any]] = field(default_factory=dict)  # latest version of each
    rm_projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    outbox_ids: set[str] = field(default_factory=set)  # every event any restored owner holds
    inbox_ids: dict[str, set[str]] = field(default_factory=dict)  # consumer -> events it applied


async def observe(db: Databases) -> Observed:
    o = Observed()
    o.appropriations = await db.rows(
        "budget-ledger", "SELECT id, plan_id, strategy_id, project_id, fiscal_year, expense_category, "
        "allocated, committed, disbursed FROM appropriations")
    o.ledger_entries = await db.rows(
        "budget-ledger", "SELECT entry_id, appropriation_id, stage, amount FROM ledger_entries "
        "WHERE stage IN ('allocated', 'committed', 'disbursed')")
    o.rm_budget_entries = await db.rows(
        "monitoring", "SELECT entry_id, kind, amount, plan_id, strategy_id, project_id, fiscal_year, expense_category "
        "FROM rm_budget_entries")
    # A project's latest wording is that of the newest version it stands in (the open draft).
    latest = await db.rows(
        "plan-registry",
        "SELECT DISTINCT ON (n.node_id) n.node_id, n.code, "
        "(SELECT r.agency_code FROM node_roles r WHERE r.version_id = n.version_id AND r.node_id = n.node_id "
        " AND r.role = 'lead' ORDER BY r.agency_code LIMIT 1) AS lead_agency "
        "FROM nodes n JOIN plan_versions v ON v.id = n.version_id WHERE n.node_type = 'project' "
        "ORDER BY n.node_id, v.number DESC")
    o.registry_projects = {r["node_id"]: r for r in latest}
    o.rm_projects = {r["project_id"]: r for r in await db.rows(
        "monitoring", "SELECT project_id, code, lead_agency FROM rm_projects")}
    for service in db.engines:
        o.outbox_ids |= {r["event_id"] for r in await db.rows(service, "SELECT event_id FROM outbox")}
    for consumer in db.subscriptions:
        o.inbox_ids[consumer] = {r["event_id"] for r in await db.rows(consumer, "SELECT event_id FROM inbox")}
    return o


def money_by_appropriation(o: Observed) -> tuple[dict[tuple, dict[str, Decimal]], dict[tuple, dict[str, Decimal]]]:
    """(the ledger's, monitoring's) money per appropriation and stage, in baht."""
    ledger: dict[tuple, dict[str, Decimal]] = {}
    for a in o.appropriations:
        ledger[tuple(a[k] for k in APPROPRIATION_KEY)] = {s: baht(a[s]) for s in STAGES}
    read_model: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: {s: Decimal("0.00") for s in STAGES})
    stage_of_kind = {kind: stage for stage, kind in KIND_OF_STAGE.items()}
    for e in o.rm_budget_entries:
        read_model[tuple(e[k] for k in APPROPRIATION_KEY)][stage_of_kind[e["kind"]]] += baht(e["amount"])
    return ledger, dict(read_model)


def compare(o: Observed) -> tuple[list[str], dict[str, int]]:
    """The violated expectations (empty: reconciled exactly) and how many rows were compared."""
    problems: list[str] = []

    # The ledger agrees with itself: each appropriation's totals are the sum of its postings.
    sums: dict[tuple[int, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for e in o.ledger_entries:
        sums[(e["appropriation_id"], e["stage"])] += baht(e["amount"])
    for a in o.appropriations:
        for stage in STAGES:
            if baht(a[stage]) != sums[(a["id"], stage)]:
                problems.append(f"ledger: appropriation {a['id']} {stage} {baht(a[stage])} != its postings "
                                f"{sums[(a['id'], stage)]}")

    # Money per appropriation: the ledger's totals against monitoring's, to the satang.
    ledger, read_model = money_by_appropriation(o)
    zero = {s: Decimal("0.00") for s in STAGES}
    for key in sorted(set(ledger) | set(read_model), key=str):
        owned, seen = ledger.get(key, zero), read_model.get(key, zero)
        if owned != seen:
            problems.append(f"money: appropriation {key} ledger {owned} monitoring {seen}")

    # Every posting once, with the ledger's amount and stage.
    by_id = {e["entry_id"]: e for e in o.ledger_entries}
    rm_by_id = {e["entry_id"]: e for e in o.rm_budget_entries}
    for entry_id in sorted(set(by_id) ^ set(rm_by_id)):
        where = "ledger only" if entry_id in by_id else "monitoring only"
        problems.append(f"posting {entry_id}: {where}")
    for entry_id in set(by_id) & set(rm_by_id):
        e, rm = by_id[entry_id], rm_by_id[entry_id]
        if rm["kind"] != KIND_OF_STAGE[e["stage"]] or baht(rm["amount"]) != baht(e["amount"]):
            problems.append(f"posting {entry_id}: ledger {e['stage']} {baht(e['amount'])}, "
                            f"monitoring {rm['kind']} {baht(rm['amount'])}")

    # The registry's projects against monitoring's.
    for project_id in sorted(set(o.registry_projects) ^ set(o.rm_projects)):
        where = "registry only" if project_id in o.registry_projects else "monitoring only"
        problems.append(f"project {project_id}: {where}")
    for project_id in set(o.registry_projects) & set(o.rm_projects):
        owned, seen = o.registry_projects[project_id], o.rm_projects[project_id]
        if (owned["code"], owned["lead_agency"]) != (seen["code"], seen["lead_agency"]):
            problems.append(f"project {project_id}: registry {owned['code']}/{owned['lead_agency']}, "
                            f"monitoring {seen['code']}/{seen['lead_agency']}")

    # No consumer keeps the effect of an event its producer lost (made after the producer's dump).
    for consumer, applied in o.inbox_ids.items():
        orphans = applied - o.outbox_ids
        if orphans:
            problems.append(f"{consumer}: {len(orphans)} applied events no restored owner holds")

    counts = {"appropriations": len(set(ledger) | set(read_model)), "postings": len(by_id),
              "projects": len(o.registry_projects), "inbox_events": sum(len(v) for v in o.inbox_ids.values())}
    return problems, counts


def tampered(o: Observed) -> list[tuple[str, Observed]]:
    """Copies of what was read, each one fact off: the comparison must catch every one."""
    cases = []
    if o.rm_budget_entries:
        satang_off = copy.deepcopy(o)
        satang_off.rm_budget_entries[0]["amount"] += 1
        cases.append(("a satang off in monitoring", satang_off))
        lost_posting = copy.deepcopy(o)
        lost_posting.ledger_entries = [e for e in lost_posting.ledger_entries
                                       if e["entry_id"] != o.rm_budget_entries[-1]["entry_id"]]
        cases.append(("a posting the ledger lost", lost_posting))
    if o.registry_projects:
        missing = copy.deepcopy(o)
        missing.rm_projects.pop(next(iter(o.registry_projects)), None)
        cases.append(("a project missing from monitoring", missing))
    for consumer in o.inbox_ids:
        orphan = copy.deepcopy(o)
        orphan.inbox_ids[consumer].add("event-of-a-lost-write")
        cases.append((f"an orphan in {consumer}'s inbox", orphan))
        break
    return cases
