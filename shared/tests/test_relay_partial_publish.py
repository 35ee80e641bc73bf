"""Which rows of a half-acknowledged batch the relay may mark published (no broker needed)."""

from dgplan_shared.bus.base import OutgoingRecord
from dgplan_shared.relay import in_order_prefix


def _records(*keys: str) -> list[OutgoingRecord]:
    return [OutgoingRecord("probe.item.events", key, b"{}") for key in keys]


def test_every_acknowledged_record_is_kept_when_nothing_before_it_failed():
    assert in_order_prefix(_records("a", "b", "a", "c"), frozenset({0, 1, 2, 3})) == [0, 1, 2, 3]
    assert in_order_prefix(_records("a", "b", "a", "c"), frozenset({0, 1})) == [0, 1]


def test_an_acknowledged_record_after_a_failed_one_of_its_key_is_resent_to_keep_the_order():
    # Record 1 (key b) failed; record 3 (key b) was acknowledged anyway: it waits for the retry,
    # while record 2 (key a) and record 4 (key c) do not depend on it.
    records = _records("a", "b", "a", "b", "c")
    assert in_order_prefix(records, frozenset({0, 2, 3, 4})) == [0, 2, 4]


def test_the_same_key_on_another_topic_is_another_aggregate():
    records = [OutgoingRecord("x.events", "k", b"{}"), OutgoingRecord("y.events", "k", b"{}")]
    assert in_order_prefix(records, frozenset({1})) == [1]
