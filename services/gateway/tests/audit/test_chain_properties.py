"""Any single alteration, removal or swap of any entry, in a chain of any length, is detected
(pure chain functions, hypothesis)."""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.governance.domain.audit_chain import GENESIS, entry_hash, payload_hash, verify_chain

START = datetime(2021, 3, 30, 3, 0, tzinfo=timezone.utc)


def chain(n: int) -> list[dict]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = {"i": seq, "text": "ข้อสังเกต"}
        entry = {"seq": seq, "at": START + timedelta(seconds=seq), "actor": f"a{seq % 3}", "acting_as": "member@x",
                 "action": "vote-cast", "target": "instance:1", "decision": "propose", "reason": f"r{seq}",
                 "payload": payload, "payload_hash": payload_hash(payload), "prev_hash": prev}
        entry["hash"] = entry_hash(entry)
        prev = entry["hash"]
        entries.append(entry)
    return entries


@st.composite
def tampered(draw):
    n = draw(st.integers(2, 20))
    entries = chain(n)
    head = (n, entries[-1]["hash"])
    i = draw(st.integers(0, n - 1))
    op = draw(st.sampled_from(["field", "payload", "delete", "swap-seq", "swap-content"]))
    if op == "field":
        name = draw(st.sampled_from(["actor", "acting_as", "action", "target", "decision", "reason", "at"]))
        entries[i][name] = START - timedelta(days=1) if name == "at" else "forged"
    elif op == "payload":
        entries[i]["payload"] = {"i": -1}
    elif op == "delete":
        del entries[i]
    else:
        j = draw(st.integers(0, n - 1).filter(lambda j: j != i))
        if op == "swap-seq":
            entries[i]["seq"], entries[j]["seq"] = entries[j]["seq"], entries[i]["seq"]
        else:
            for name in [k for k in entries[i] if k != "seq"]:
                entries[i][name], entries[j][name] = entries[j][name], entries[i][name]
        entries.sort(key=lambda e: e["seq"])
    return entries, head, op, min(i, j) + 1 if op.startswith("swap") else i + 1


@settings(max_examples=200, deadline=None)
@given(tampered())
def test_any_tampering_breaks_the_chain_at_the_tampered_entry(case):
    entries, (head_seq, head_hash), op, seq = case
    result = verify_chain(entries, head_seq, head_hash)
    assert not result.ok
    assert result.first_broken_seq == seq
    expected = {"field": "altered", "payload": "altered", "delete": "missing"}.get(op, "reordered")
    assert result.problem == expected


def test_an_intact_chain_verifies():
    entries = chain(12)
    assert verify_chain(entries, 12, entries[-1]["hash"]).ok
    assert verify_chain([], 0, GENESIS).ok
