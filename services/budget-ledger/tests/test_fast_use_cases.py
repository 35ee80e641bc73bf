"""Domain rules and use cases without HTTP or a database: the stage invariants directly, and the
use cases against a fake unit of work holding in-memory repositories (it records what they publish).

The fake ledger applies the same rule the SQL repository does (``check_balances`` on the balances a
posting would leave), so a use case is tested against the invariant, not against a stub."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from budget_ledger.application import close_round, open_round, post_entries
from budget_ledger.application.etags import round_etag
from budget_ledger.application.post_entries import EntryCommand, PostEntries
from budget_ledger.application.repositories import Repositories
from budget_ledger.domain.postings import AppropriationKey, PostedEntry, Posting
from budget_ledger.domain.stages import STAGES, InvariantViolation, check_balances
from budget_ledger.events.types import COMMITMENT_POSTED, ROUND_CLOSED, ROUND_OPENED
from dgplan_contracts.identity import AGENCY, SECRETARIAT, Principal
from dgplan_shared.commands import execute
from dgplan_shared.errors import ProblemError
from dgplan_shared.events import CloudEvent

D = Decimal
NOW = datetime.now(timezone.utc)
SECRETARIAT_P = Principal("dga-officer", frozenset({SECRETARIAT}))
MOF = Principal("system-mof", frozenset({AGENCY}), agency="MOF")


# --- the fake unit of work ----------------------------------------------------------------------


class FakeMoves:
    def __init__(self, ledger: FakeLedger, postings: list[Posting]) -> None:
        self.ledger, self.postings = ledger, postings

    async def apply(self) -> None:
        after = {k: dict(v) for k, v in self.ledger.balances.items()}
        for p in self.postings:
            after.setdefault(p.key, {s: D(0) for s in STAGES})[p.stage] += p.amount
        for key in sorted({p.key for p in self.postings}):
            try:
                check_balances(after[key])
            except InvariantViolation as v:
                raise v.at(key.as_dict()) from None
        self.ledger.balances = defaultdict(lambda: {s: D(0) for s in STAGES}, after)


class FakeLedger:
    def __init__(self) -> None:
        self.balances: dict[AppropriationKey, dict[str, Decimal]] = defaultdict(lambda: {s: D(0) for s in STAGES})
        self.entries: list[PostedEntry] = []

    async def post_balances_last(self, postings: list[Posting], posted_by: str) -> tuple[list[PostedEntry], FakeMoves]:
        entries = [PostedEntry(str(uuid.uuid4()), None, p, posted_by, NOW) for p in postings if p.amount]
        self.entries += entries
        return entries, FakeMoves(self, [e.posting for e in entries])

    async def post(self, postings: list[Posting], posted_by: str) -> list[PostedEntry]:
        entries, moves = await self.post_balances_last(postings, posted_by)
        await moves.apply()
        return entries


class FakePlans:
    def __init__(self, plans: dict[str, dict[str, Any]], projects: dict[str, dict[str, Any]]) -> None:
        self._plans, self._projects = plans, projects

    async def plan(self, plan_id: str) -> dict[str, Any] | None:
        return self._plans.get(plan_id)

    async def projects(self, ids: set[str]) -> dict[str, Any]:
        return {i: self._projects[i] for i in ids if i in self._projects}


class FakeScreening:
    def __init__(self) -> None:
        self.rounds: dict[str, dict[str, Any]] = {}

    async def round(self, round_id: str, *, lock: bool = False) -> dict[str, Any]:
        if round_id not in self.rounds:
            raise ProblemError(404, "not-found", "screening round not found")
        return dict(self.rounds[round_id])

    async def round_of(self, plan_id: str, fiscal_year: int) -> dict[str, Any] | None:
        return next((r for r in self.rounds.values() if (r["plan_id"], r["fiscal_year"]) == (plan_id, fiscal_year)), None)

    async def add_round(self, values: dict[str, Any]) -> None:
        self.rounds[values["round_id"]] = {"package_submitted_at": None, "approved_at": None, "closed_at": None, **values}

    async def change_round(self, round_id: str, **values: Any) -> None:
        row = self.rounds[round_id]
        row.update(values, version=row["version"] + 1)


class FakeEvents:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def publish_many(self, events: list[CloudEvent]) -> None:
        self.uow.published.extend(events)


class FakeUnitOfWork:
    """What the use cases need of a unit of work: repositories, publish(), commit and rollback."""

    service = "budget-ledger"

    def __init__(self, plans: FakePlans | None = None) -> None:
        self.published: list[CloudEvent] = []
        self.committed = False
        self.ledger, self.screening = FakeLedger(), FakeScreening()
        self.repositories = Repositories(self.ledger, self.screening, plans or seeded_plans(), FakeEvents(self))

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def publish(self, event_type: str, subject: str, data: dict[str, Any]) -> CloudEvent:
        event = CloudEvent.new(self.service, event_type, subject, data)
        self.published.append(event)
        return event

    async def commit(self) -> None:
        self.committed = True

    async def rollback(self) -> None:
        self.published.clear()


def seeded_plans() -> FakePlans:
    return FakePlans(
        {"plan-dgdp": {"plan_id": "plan-dgdp", "start_fy": 2563, "end_fy": 2565}},
        {"p-mof": {"project_id": "p-mof", "plan_id": "plan-dgdp", "strategy_id": "S1", "lead_agency": "MOF"}},
    )


KEY = AppropriationKey("plan-dgdp", "S1", "p-mof", 2565, "investment")


def approved(uow: FakeUnitOfWork, amount: str) -> None:
    for stage in ("requested", "recommended", "approved"):
        uow.ledger.balances[KEY][stage] = D(amount)


# --- the stage invariants (domain/stages.py) ----------------------------------------------------


def chain(**values: str) -> dict[str, Decimal]:
    return {s: D(values.get(s, "0")) for s in STAGES}


def test_a_full_chain_within_every_limit_holds():
    check_balances(chain(requested="100", recommended="60", deferred="20", rejected="10", returned="10",
                         approved="60", allocated="50", committed="40", disbursed="40"))


@pytest.mark.parametrize("balances, slug, shortfall", [
    (chain(requested="100", recommended="60", deferred="41"), "recommendation-above-request", "1.00"),
    (chain(requested="100", recommended="50", approved="50.01"), "approval-above-recommendation", "0.01"),
    (chain(requested="9", recommended="9", approved="9", allocated="10"), "allocation-above-approval", "1.00"),
    (chain(requested="9", recommended="9", approved="9", allocated="5", committed="6"), "commitment-above-allocation", "1.00"),
    (chain(requested="9", recommended="9", approved="9", allocated="9", committed="3", disbursed="3.50"),
     "disbursement-above-commitment", "0.50"),
    (chain(requested="-1"), "negative-balance", "1"),
])
def test_each_broken_limit_is_a_422_naming_the_invariant_and_the_shortfall(balances, slug, shortfall):
    with pytest.raises(InvariantViolation) as refused:
        check_balances(balances)
    problem = refused.value.to_dict()
    assert (problem["status"], problem["type"]) == (422, f"urn:dgplan:problem:{slug}")
    assert refused.value.shortfall == D(shortfall)
    assert problem["errors"][0]["field"] == "amount"


# --- use cases on the fake unit of work ---------------------------------------------------------


async def test_a_commitment_within_the_allocation_is_posted_and_published_and_one_above_is_refused():
    uow = FakeUnitOfWork()
    approved(uow, "1000.00")
    uow.ledger.balances[KEY]["allocated"] = D("600.00")
    answer = await execute(lambda: uow, post_entries.handle,
                           PostEntries((EntryCommand("p-mof", 2565, "investment", "committed", D("600.00")),), MOF), status=201,
                           present=lambda entries: [e.posting.amount for e in entries])
    assert (answer.status, answer.body) == (201, [D("600.00")]) and uow.committed
    assert uow.ledger.balances[KEY]["committed"] == D("600.00")  # moved by the Finishing step, before commit
    assert [e.type for e in uow.published] == [COMMITMENT_POSTED]
    assert uow.published[0].data["amount"] == "600.00" and uow.published[0].data["agency"] == "MOF"

    refused = FakeUnitOfWork()
    approved(refused, "1000.00")
    refused.ledger.balances[KEY]["allocated"] = D("600.00")
    with pytest.raises(InvariantViolation) as over:
        await execute(lambda: refused, post_entries.handle,
                      PostEntries((EntryCommand("p-mof", 2565, "investment", "committed", D("600.01")),), MOF))
    assert over.value.slug == "commitment-above-allocation" and "by 0.01 baht" in over.value.detail
    assert over.value.extensions["appropriation"]["project_id"] == "p-mof"
    assert refused.ledger.balances[KEY]["committed"] == D(0) and not refused.committed


async def test_only_the_secretariat_allocates_and_a_batch_names_the_unknown_project_by_position():
    uow = FakeUnitOfWork()
    approved(uow, "10.00")
    with pytest.raises(ProblemError) as forbidden:
        await post_entries.handle(PostEntries((EntryCommand("p-mof", 2565, "investment", "allocated", D("1.00")),), MOF), uow)
    assert forbidden.value.status == 403
    batch = (EntryCommand("p-mof", 2565, "investment", "allocated", D("1.00")),
             EntryCommand("p-ghost", 2565, "investment", "allocated", D("1.00")))
    with pytest.raises(ProblemError) as unknown:
        await post_entries.handle(PostEntries(batch, SECRETARIAT_P, field_prefix="entries."), uow)
    assert unknown.value.slug == "unknown-project" and unknown.value.extensions["errors"][0]["field"] == "entries.1.project_id"
    assert uow.published == [] and uow.ledger.entries == []


def opening(**overrides: Any) -> open_round.OpenRound:
    values: dict[str, Any] = {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": D("5000000.00"),
                              "submission_deadline": NOW + timedelta(days=7), "decision_deadline": NOW + timedelta(days=14),
                              "title": "ปีงบประมาณ 2565", "opened_by": "dga-officer"}
    return open_round.OpenRound(**{**values, **overrides})


async def test_opening_a_round_stores_it_open_and_publishes_round_opened():
    uow = FakeUnitOfWork()
    row = await open_round.handle(opening(), uow)
    assert (row["status"], row["version"], row["ceiling"], row["opened_by"]) == ("open", 1, D("5000000.00"), "dga-officer")
    (event,) = uow.published
    assert event.type == ROUND_OPENED and event.subject == row["round_id"]
    assert event.data["ceiling"] == "5000000.00" and event.data["fiscal_year"] == 2565


@pytest.mark.parametrize("overrides, field", [
    ({"plan_id": "nope"}, "plan_id"),
    ({"fiscal_year": 2566}, "fiscal_year"),  # the plan runs 2563–2565
    ({"decision_deadline": NOW + timedelta(days=6)}, "decision_deadline"),
    ({"submission_deadline": NOW - timedelta(minutes=1)}, "submission_deadline"),  # nobody could submit any more
])
async def test_a_round_the_plan_cannot_hold_is_refused_naming_the_field(overrides, field):
    uow = FakeUnitOfWork()
    with pytest.raises(ProblemError) as refused:
        await open_round.handle(opening(**overrides), uow)
    assert refused.value.status == 422 and refused.value.extensions["errors"][0]["field"] == field
    assert uow.published == [] and uow.screening.rounds == {}


async def test_only_an_approved_round_closes_and_a_stale_if_match_is_refused():
    uow = FakeUnitOfWork()
    row = await open_round.handle(opening(), uow)
    with pytest.raises(ProblemError) as not_approved:
        await close_round.handle(close_round.CloseRound(row["round_id"], "dga-officer"), uow)
    assert (not_approved.value.status, not_approved.value.slug) == (409, "round-not-approved")
    await uow.screening.change_round(row["round_id"], status="approved")
    stale = round_etag(row)  # read before the approval moved the version on
    with pytest.raises(ProblemError) as precondition:
        await close_round.handle(close_round.CloseRound(row["round_id"], "dga-officer", if_match=stale), uow)
    assert precondition.value.status == 412
    current = round_etag(await uow.screening.round(row["round_id"]))
    closed = await close_round.handle(close_round.CloseRound(row["round_id"], "dga-officer", False, if_match=current), uow)
    assert (closed["status"], closed["published"]) == ("closed", False)
    assert [e.type for e in uow.published] == [ROUND_OPENED, ROUND_CLOSED]
    assert uow.published[-1].data == {"round_id": row["round_id"], "plan_id": "plan-dgdp", "fiscal_year": 2565,
                                      "published": False, "closed_by": "dga-officer"}


async def test_a_second_round_for_the_same_plan_and_year_is_a_409_naming_the_first():
    uow = FakeUnitOfWork()
    first = await open_round.handle(opening(), uow)
    with pytest.raises(ProblemError) as refused:
        await open_round.handle(opening(ceiling=D("1.00")), uow)
    assert (refused.value.status, refused.value.slug) == (409, "round-exists")
    assert refused.value.extensions["round_id"] == first["round_id"]
    assert len(uow.screening.rounds) == 1 and len(uow.published) == 1
