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
HASHED_FIELDS = ("seq", "at", "actor", "acting_as", "action", "target", "decision", "reason", "payload_hash", "prev_hash")


def _normalize(value: Any) -> Any:
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


def verify_chain(entries: Sequence[Mapping[str, Any]], head_seq: int, head_hash: str) -> Verification:
    """Walk ``entries`` (ordered by seq) from the genesis; report the first break and its kind."""
    stored_hashes = {e["hash"] for e in entries}
    last_seq = len(entries) and int(entries[-1]["seq"])

    def broken(seq: int, problem: str, detail: str, checked: int) -> Verification:
        return Verification(False, checked, head_seq, seq, problem, detail)

    prev = GENESIS
    expected = 1
    for index, entry in enumerate(entries):
        seq = int(entry["seq"])
        if seq != expected:
            return broken(expected, "missing", f"entry {expected} is missing (the next one is {seq})", index)
        payload_ok = payload_hash(entry["payload"]) == entry["payload_hash"]
        if not payload_ok or entry_hash(entry) != entry["hash"]:
            # An intact entry written under another seq has been moved here.
            origin = next(
                (s for s in range(1, max(last_seq, head_seq) + 2) if s != seq and entry_hash(entry, s) == entry["hash"]),
                None,
            )
            if payload_ok and origin is not None:
                if entry["prev_hash"] != GENESIS and entry["prev_hash"] not in stored_hashes:
                    return broken(seq, "missing", f"entry {origin} was renumbered to {seq} after a removal", index)
                return broken(seq, "reordered", f"entry {seq} holds the entry written as {origin}", index)
            what = "payload" if not payload_ok else "fields"
            return broken(seq, "altered", f"entry {seq}: its {what} no longer match its hash", index)
        if entry["prev_hash"] != prev:
            if entry["prev_hash"] in stored_hashes:
                return broken(seq, "reordered", f"entry {seq} does not follow entry {seq - 1}", index)
            return broken(
                seq - 1, "altered", f"entry {seq - 1} was rewritten: entry {seq} recorded another hash for it", index
            )
        prev = entry["hash"]
        expected += 1
    checked = len(entries)
    if head_seq > last_seq:
        return broken(last_seq + 1, "missing", f"the chain ends at {last_seq} but its head records {head_seq}", checked)
    if head_seq < last_seq or head_hash != prev:
        return broken(last_seq, "altered", "the chain's head does not match its last entry", checked)
    return Verification(True, checked, head_seq)
