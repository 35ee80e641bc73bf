from datetime import timezone

import pytest

from dgplan_shared.context import causation_id_var, correlation_id_var, traceparent_var
from dgplan_shared.events import CloudEvent, EnvelopeError, parse_type, topic_for


def test_type_names_service_aggregate_event_and_version():
    assert parse_type("dgplan.plan-registry.plan.drafted.v1") == ("plan-registry", "plan", "drafted", 1)
    assert topic_for("dgplan.budget-ledger.screening.decision-recorded.v2") == "budget-ledger.screening.events"


@pytest.mark.parametrize("bad", ["plan.drafted", "dgplan.x.y.z", "dgplan.x.y.z.v0", "dgplan.X.y.z.v1"])
def test_malformed_types_are_refused(bad):
    with pytest.raises(EnvelopeError):
        parse_type(bad)


def test_envelope_round_trips_thai_text_and_keeps_context():
    thai = "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565"
    tokens = [correlation_id_var.set("corr-1"), causation_id_var.set("cause-1"),
              traceparent_var.set("00-" + "a" * 32 + "-" + "b" * 16 + "-01")]
    try:
        event = CloudEvent.new("plan-registry", "dgplan.plan-registry.plan.drafted.v1", "p1", {"title": thai})
    finally:
        for var, token in zip((correlation_id_var, causation_id_var, traceparent_var), tokens):
            var.reset(token)
    back = CloudEvent.from_json(event.to_json())
    assert back.data["title"] == thai
    assert back.correlationid == "corr-1" and back.causationid == "cause-1"
    assert back.traceparent.split("-")[1] == "a" * 32  # same trace, new span
    assert back.traceparent.split("-")[2] != "b" * 16
    assert back.time.tzinfo == timezone.utc
    assert back.source == "/dgplan/plan-registry"
    assert back.to_dict()["specversion"] == "1.0"


def test_decimal_data_is_serialized_as_decimal_string():
    from decimal import Decimal

    event = CloudEvent.new("budget-ledger", "dgplan.budget-ledger.budget.posted.v1", "x", {"amount": Decimal("4879870000.00")})
    assert event.data["amount"] == "4879870000.00"


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"specversion":"1.0"}', b'{"specversion":"0.3","id":"1","source":"s","type":"t"}'])
def test_unreadable_envelopes_are_poison(raw):
    with pytest.raises(EnvelopeError):
        CloudEvent.from_json(raw)
