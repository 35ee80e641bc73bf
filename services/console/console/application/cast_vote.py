"""Use case: a member votes (or a body deciding as one records its decision) with a reason and
observations, through the gateway. The form's idempotency key makes a double submit harmless."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient


@dataclass(frozen=True)
class Observation:
    th: str
    en: str


@dataclass(frozen=True)
class CastVote:
    instance_id: str
    mode: str  # "vote": each member votes; otherwise the body decides as one
    choice: str
    reason: str
    observations: tuple[Observation, ...]
    stage: str | None
    idempotency_key: str


def observations_from_lines(thai: str, english: str) -> tuple[Observation, ...]:
    """One observation per line, the Thai and English texts paired by line (both are required)."""
    th_lines = [line.strip() for line in thai.splitlines() if line.strip()]
    en_lines = [line.strip() for line in english.splitlines() if line.strip()]
    if len(th_lines) != len(en_lines):
        raise ApiProblem(
            422, "Observations do not pair up",
            f"{len(th_lines)} Thai and {len(en_lines)} English lines: give each observation in both languages.",
        )
    return tuple(Observation(t, e) for t, e in zip(th_lines, en_lines))


async def handle(command: CastVote, gateway: GatewayClient) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reason": command.reason,
        "observations": [{"text": {"th": o.th, "en": o.en}} for o in command.observations],
    }
    if command.stage:
        body["stage"] = command.stage
    if command.mode == "vote":
        path = f"/api/v1/governance/instances/{command.instance_id}/votes"
        body["choice"] = command.choice
    else:
        path = f"/api/v1/governance/instances/{command.instance_id}/decisions"
        body["decision"] = command.choice
    return await gateway.post(path, body, idempotency_key=command.idempotency_key)
