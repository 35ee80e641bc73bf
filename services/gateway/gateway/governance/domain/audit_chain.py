"""The hash chain itself, pure: canonical form, entry hashes and the verification walk.

``hash = sha256(canonical JSON of {seq, at, actor, acting_as, action, target, decision, reason,
payload_hash, prev_hash})``. Each entry commits to its predecessor through ``prev_hash``, so an
edit, a removal or a move anywhere breaks the walk at a precise seq.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

GENESIS = "0" * 64
MOVE_WINDOW = 1000
HASHED_FIELDS = ("seq", "at", "actor", "acting_as", "action", "target", "decision", "reason", "payload_hash", "prev_hash")


def _normalize(value: Any) -> Any:
    # NFC, not dgplan_shared.text.normalize_text: entries already stored were hashed over their
    # NFC form, and the Thai rules (sara am, tone-mark order, zero-width removal) would change
    # the canonical bytes, hence the hash, of any stored entry whose text they rewrite.
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, Mapping):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize(v) for v in value]
    return value


def canonical(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8, NFC: one byte string per logical value."""
    return json.dumps(_normalize(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_hash(payload: Mapping[str, Any]) -> str:
    return sha256(canonical(payload))


def entry_hash(entry: Mapping[str, Any], seq: int | None = None) -> str:
    fields = {name: entry[name] for name in HASHED_FIELDS}
    if seq is not None:
        fields["seq"] = seq
    return sha256(canonical(fields))


def chained_entry(head_seq: int, head_hash: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The entry that follows the head: ``fields`` (at, actor, acting_as, action, target, decision,
    reason, payload) with its seq, payload hash, link to the head and its own hash."""
    payload = dict(fields.get("payload") or {})
    entry: dict[str, Any] = {
        **fields,
        "seq": head_seq + 1,
        "payload": payload,
        "payload_hash": payload_hash(payload),
        "prev_hash": head_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    head_seq: int
    first_broken_seq: int | None = None
    problem: str | None = None  # altered / missing / reordered
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_seq": self.head_seq,
            "first_broken_seq": self.first_broken_seq,
            "problem": self.problem,
            "detail": self.detail,
        }


class ChainWalk:
    """Walks entries in seq order (fed in pages, so a long log never sits in memory whole) and
    stops at the first break. ``stored_hashes`` is every hash in the table: it tells a moved
    entry (its predecessor exists elsewhere) from a removed one."""

    def __init__(self, stored_hashes: set[str], head_seq: int) -> None:
        self.stored_hashes = stored_hashes
        self.head_seq = head_seq
        self.prev = GENESIS
        self.expected = 1
        self.checked = 0
        self.last_seq = 0
        self.result: Verification | None = None

    def _broken(self, seq: int, problem: str, detail: str) -> bool:
        self.result = Verification(False, self.checked, self.head_seq, seq, problem, detail)
        return False

    def _origins(self, seq: int) -> list[int]:
        """Where a moved entry may have come from: nearby positions (a move farther than
        ``MOVE_WINDOW`` is still detected, but reported as an alteration)."""
        return [s for s in range(max(1, seq - MOVE_WINDOW), seq + MOVE_WINDOW + 1) if s != seq]

    def feed(self, entry: Mapping[str, Any]) -> bool:
        """False once the chain is broken (``result`` says where and why)."""
        seq = int(entry["seq"])
        if seq != self.expected:
            return self._broken(self.expected, "missing", f"entry {self.expected} is missing (the next one is {seq})")
        payload_ok = payload_hash(entry["payload"]) == entry["payload_hash"]
        if not payload_ok or entry_hash(entry) != entry["hash"]:
            # An intact entry written under another seq has been moved here.
            origin = next((s for s in self._origins(seq) if entry_hash(entry, s) == entry["hash"]), None)
            if payload_ok and origin is not None:
                if entry["prev_hash"] != GENESIS and entry["prev_hash"] not in self.stored_hashes:
                    return self._broken(seq, "missing", f"entry {origin} was renumbered to {seq} after a removal")
                return self._broken(seq, "reordered", f"entry {seq} holds the entry written as {origin}")
            what = "payload" if not payload_ok else "fields"
            return self._broken(seq, "altered", f"entry {seq}: its {what} no longer match its hash")
        if entry["prev_hash"] != self.prev:
            if entry["prev_hash"] in self.stored_hashes:
                return self._broken(seq, "reordered", f"entry {seq} does not follow entry {seq - 1}")
            return self._broken(
                seq - 1, "altered", f"entry {seq - 1} was rewritten: entry {seq} recorded another hash for it"
            )
        self.prev = entry["hash"]
        self.expected += 1
        self.checked += 1
        self.last_seq = seq
        return True

    def finish(self, head_hash: str) -> Verification:
        if self.result is not None:
            return self.result
        if self.head_seq > self.last_seq:
            self._broken(self.last_seq + 1, "missing", f"the chain ends at {self.last_seq} but its head records {self.head_seq}")
        elif self.head_seq < self.last_seq or head_hash != self.prev:
            self._broken(self.last_seq, "altered", "the chain's head does not match its last entry")
        else:
            self.result = Verification(True, self.checked, self.head_seq)
        assert self.result is not None
        return self.result


def verify_chain(entries: Sequence[Mapping[str, Any]], head_seq: int, head_hash: str) -> Verification:
    """Walk ``entries`` (ordered by seq) from the genesis; report the first break and its kind."""
    walk = ChainWalk({e["hash"] for e in entries}, head_seq)
    for entry in entries:
        if not walk.feed(entry):
            break
    return walk.finish(head_hash)
