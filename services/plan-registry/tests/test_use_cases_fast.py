"""Use cases and node rules without HTTP or a database: a fake unit of work with in-memory repositories."""

import pytest

from dgplan_contracts.identity import Principal
from dgplan_shared.errors import ProblemError
from dgplan_shared.web.etags import content_etag

from plan_registry.application import close_observation, create_agency, respond_to_observation, update_agency
from plan_registry.domain.node_rules import check_node, strategy_ids
from plan_registry.events.types import OBSERVATION_CLOSED, OBSERVATION_RESPONDED
from registry_fakes import InMemoryAgencies, InMemoryObservations, an_observation, fake_uow

SECRETARIAT = Principal("dga-officer", frozenset({"secretariat"}))
AGENCY = Principal("oae-clerk", frozenset({"agency"}), agency="OAE")
NESDC_MEMBER = Principal("nesdc-1", frozenset({"body_member"}), bodies=frozenset({"nesdc"}))
MINISTRY = {"code": "MDES", "name": {"th": "กระทรวงดิจิทัลฯ", "en": "Ministry of Digital Economy and Society"}, "parent_code": None}


def _node(**changes):  # type: ignore[no-untyped-def]
    base = {"id": "m9", "node_type": "measure", "parent_id": "s1", "code": "S1.M9", "roles": [],
            "focus_area_ids": [], "target_ids": []}
    return {**base, **changes}


SHAPE = {"p": ("plan", None, None), "s1": ("strategy", None, "s1"), "m1": ("measure", "s1", "s1"),
         "w1": ("work_plan", "m1", "s1"), "f1": ("focus_area", None, None)}


def test_node_rules_name_the_field_that_breaks_them():
    check_node(_node(), SHAPE, {"S1": "s1"}, set())
    cases = [
        (_node(parent_id="w1"), "parent_id"),  # a measure under a work plan
        (_node(parent_id="nowhere"), "parent_id"),
        (_node(start_fy=2566, end_fy=2565), "end_fy"),
        (_node(status="in_progress"), "status"),  # only projects carry a status
        (_node(roles=[{"agency": "NOBODY", "role": "lead"}]), "roles[0].agency"),
        (_node(roles=[{"agency": "MDES", "role": "owner"}]), "roles[0].role"),
        (_node(node_type="project", parent_id="w1", focus_area_ids=["s1"]), "focus_area_ids[0]"),
    ]
    for node, field in cases:
        with pytest.raises(ProblemError) as caught:
            check_node(node, SHAPE, {"S1": "s1"}, {"MDES"})
        assert caught.value.status == 422 and caught.value.extensions["errors"][0]["field"] == field, node
    with pytest.raises(ProblemError) as duplicate:
        check_node(_node(code="S1"), SHAPE, {"S1": "s1"}, set())
    assert duplicate.value.status == 409


def test_a_moved_subtree_points_at_its_new_strategy():
    moved = {**SHAPE, "s2": ("strategy", None, "s2"), "m1": ("measure", "s2", "s1")}
    assert strategy_ids(moved) == {"m1": "s2", "w1": "s2"}
    assert strategy_ids(SHAPE) == {}


async def test_create_agency_stores_it_and_refuses_a_duplicate_code_and_an_unknown_parent():
    agencies = InMemoryAgencies(MINISTRY)
    uow = fake_uow(agencies=agencies)
    body = {"code": "DEPA", "name": {"th": "ดีป้า", "en": "depa"}, "parent_code": "MDES"}
    assert await create_agency.handle(create_agency.CreateAgency(SECRETARIAT, body), uow) == body
    assert agencies.rows["DEPA"]["parent_code"] == "MDES"
    for wrong, status in (({**body}, 409), ({**body, "code": "X", "parent_code": "NONE"}, 422)):
        with pytest.raises(ProblemError) as caught:
            await create_agency.handle(create_agency.CreateAgency(SECRETARIAT, wrong), uow)
        assert caught.value.status == status
    with pytest.raises(ProblemError) as refused:
        await create_agency.handle(create_agency.CreateAgency(AGENCY, {**body, "code": "Y"}), uow)
    assert refused.value.status == 403 and "Y" not in agencies.rows


async def test_update_agency_needs_the_current_etag_and_refuses_a_cycle_of_parents():
    child = {"code": "DEPA", "name": {"th": "ดีป้า", "en": "depa"}, "parent_code": "MDES"}
    agencies = InMemoryAgencies(MINISTRY, child)
    uow = fake_uow(agencies=agencies)
    change = {"parent_code": "DEPA"}
    with pytest.raises(ProblemError) as missing:
        await update_agency.handle(update_agency.UpdateAgency(SECRETARIAT, "MDES", change, None), uow)
    assert missing.value.status == 428
    with pytest.raises(ProblemError) as stale:
        await update_agency.handle(update_agency.UpdateAgency(SECRETARIAT, "MDES", change, '"old"'), uow)
    assert stale.value.status == 412
    with pytest.raises(ProblemError) as cycle:
        await update_agency.handle(update_agency.UpdateAgency(SECRETARIAT, "MDES", change, content_etag(MINISTRY)), uow)
    assert cycle.value.status == 422 and agencies.rows["MDES"]["parent_code"] is None
    renamed = {"name": {"th": "กระทรวงดีอี", "en": "MDES"}}
    done = await update_agency.handle(update_agency.UpdateAgency(SECRETARIAT, "MDES", renamed, content_etag(MINISTRY)), uow)
    assert done["name"] == renamed["name"] == agencies.rows["MDES"]["name"]


async def test_responding_then_closing_an_observation_publishes_each_step():
    observations = InMemoryObservations(an_observation())
    uow = fake_uow(observations=observations)
    answer = {"th": "เพิ่มตัวชี้วัดแล้ว", "en": "Indicators added"}
    responded = await respond_to_observation.handle(
        respond_to_observation.RespondToObservation(SECRETARIAT, "obs-1", answer), uow)
    assert responded["status"] == "responded" and responded["response"] == answer
    assert responded["responded_by"] == "dga-officer"
    with pytest.raises(ProblemError) as not_theirs:
        await close_observation.handle(close_observation.CloseObservation(AGENCY, "obs-1"), uow)
    assert not_theirs.value.status == 403
    closed = await close_observation.handle(close_observation.CloseObservation(NESDC_MEMBER, "obs-1"), uow)
    assert closed["status"] == "closed"
    assert [(e.type, e.data["status"]) for e in uow.published] == [
        (OBSERVATION_RESPONDED, "responded"), (OBSERVATION_CLOSED, "closed")]
    assert [(h["action"], h["actor"], h.get("text")) for h in observations.history] == [
        ("responded", "dga-officer", answer), ("closed", "nesdc-1", None)]
    with pytest.raises(ProblemError) as after_close:
        await respond_to_observation.handle(
            respond_to_observation.RespondToObservation(SECRETARIAT, "obs-1", answer), uow)
    assert after_close.value.status == 409 and after_close.value.slug == "observation-closed"
    assert len(uow.published) == 2
