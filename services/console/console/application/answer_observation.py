"""Use case: the secretariat answers an observation in Thai and English (open → responded); the
form's idempotency key makes a double submit one answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient


@dataclass(frozen=True)
class AnswerObservation:
    observation_id: str
    th: str
    en: str
    idempotency_key: str


async def handle(command: AnswerObservation, gateway: GatewayClient) -> dict[str, Any]:
    if not (command.th.strip() and command.en.strip()):
        raise ApiProblem(422, "The answer needs both languages",
                         "Write the answer in Thai and in English: the observation is published in both.")
    return await gateway.post(f"/api/v1/observations/{command.observation_id}/responses",
                              {"text": {"th": command.th.strip(), "en": command.en.strip()}},
                              idempotency_key=command.idempotency_key)
