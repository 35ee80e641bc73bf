"""Use cases of the subcommittee's chair or secretary: record the decision a meeting resolved on a
request, and hand the screened package to the committee. The form's idempotency key makes a double
submit harmless; the ledger decides who may (a plain member gets its 403, shown as it is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient


@dataclass(frozen=True)
class RecordDecision:
    request_id: str
    decision: str
    reason: str
    meeting_title: str
    held_on: str
    resolution: str
    rank: str
    amounts: dict[str, str]
    idempotency_key: str


def decision_body(command: RecordDecision) -> dict[str, Any]:
    meeting: dict[str, Any] = {"title": command.meeting_title.strip(), "held_on": command.held_on.strip()}
    if command.resolution.strip():
        meeting["resolution"] = command.resolution.strip()
    body: dict[str, Any] = {"decision": command.decision, "reason": command.reason.strip(), "meeting": meeting}
    if command.rank.strip():
        if not command.rank.strip().isascii() or not command.rank.strip().isdigit():
            raise ApiProblem(422, "Rank is not a whole number", "Give the rank as a whole number (1 = first).")
        body["rank"] = int(command.rank.strip())
    if command.decision == "recommend-reduced":
        if not command.amounts:
            raise ApiProblem(422, "Amounts are missing",
                             "A reduced recommendation needs the recommended amount of at least one expense category.")
        body["recommended_amounts"] = command.amounts
    return body


async def record(command: RecordDecision, gateway: GatewayClient) -> dict[str, Any]:
    return await gateway.post(f"/api/v1/screening/requests/{command.request_id}/decisions", decision_body(command),
                              idempotency_key=command.idempotency_key)


@dataclass(frozen=True)
class SubmitPackage:
    round_id: str
    note: str
    idempotency_key: str


async def submit_package(command: SubmitPackage, gateway: GatewayClient) -> dict[str, Any]:
    body = {"note": command.note.strip()} if command.note.strip() else {}
    return await gateway.post(f"/api/v1/screening/rounds/{command.round_id}/package", body,
                              idempotency_key=command.idempotency_key)
