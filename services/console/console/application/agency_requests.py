"""Agency staff: the agency's projects (the registry), the open rounds and the agency's own requests
in them, and the use cases of submitting a budget request and revising a returned one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient


@dataclass(frozen=True)
class ShowAgency:
    agency: str | None


@dataclass(frozen=True)
class RoundRequests:
    round: dict[str, Any]
    by_project: dict[str, dict[str, Any]]  # project id → the agency's request in this round


@dataclass(frozen=True)
class AgencyView:
    agency: str
    name: dict[str, str]  # th/en from the registry; the code itself when the registry has none
    projects: list[dict[str, Any]]
    rounds: list[RoundRequests]


async def handle(query: ShowAgency, gateway: GatewayClient) -> AgencyView:
    if not query.agency:
        raise ApiProblem(403, "No agency", "Your account names no agency, so there are no agency projects to show.")
    projects = await gateway.all_items("/api/v1/projects", {"agency": query.agency, "role": "lead"})
    projects.sort(key=lambda p: p.get("code") or "")
    found = []
    for round_ in await gateway.all_items("/api/v1/screening/rounds"):
        if round_["status"] != "open":
            continue
        mine = await gateway.all_items(f"/api/v1/screening/rounds/{round_['round_id']}/requests")
        found.append(RoundRequests(round_, {r["project_id"]: r for r in mine}))
    found.sort(key=lambda r: -int(r.round["fiscal_year"]))
    return AgencyView(query.agency, await agency_name(gateway, query.agency), projects, found)


async def agency_name(gateway: GatewayClient, code: str) -> dict[str, str]:
    """The registry's name of the agency; a courtesy: when it refuses, the heading keeps the code."""
    try:
        found = await gateway.get(f"/api/v1/agencies/{code}")
    except ApiProblem:
        return {"th": code, "en": code}
    return found.get("name") or {"th": code, "en": code}


@dataclass(frozen=True)
class SubmitRequest:
    round_id: str
    project_id: str
    amounts: dict[str, str]
    justification: str
    priority: str
    idempotency_key: str


def request_body(project_id: str, amounts: dict[str, str], justification: str, priority: str = "") -> dict[str, Any]:
    if not amounts:
        raise ApiProblem(422, "Amounts are missing", "Give the amount of at least one expense category.")
    body: dict[str, Any] = {"project_id": project_id, "amounts": amounts, "justification": justification.strip()}
    if priority.strip():
        if not priority.strip().isascii() or not priority.strip().isdigit():
            raise ApiProblem(422, "Priority is not a whole number", "Give the priority as a whole number (1 = highest).")
        body["priority"] = int(priority.strip())
    return body


async def submit(command: SubmitRequest, gateway: GatewayClient) -> dict[str, Any]:
    body = request_body(command.project_id, command.amounts, command.justification, command.priority)
    return await gateway.post(f"/api/v1/screening/rounds/{command.round_id}/requests", body,
                              idempotency_key=command.idempotency_key)


@dataclass(frozen=True)
class ReviseRequest:
    request_id: str
    project_id: str
    amounts: dict[str, str]
    justification: str
    if_match: str
    idempotency_key: str


async def revise(command: ReviseRequest, gateway: GatewayClient) -> dict[str, Any]:
    body = request_body(command.project_id, command.amounts, command.justification)
    return await gateway.post(f"/api/v1/screening/requests/{command.request_id}/revision", body,
                              idempotency_key=command.idempotency_key, if_match=command.if_match or None)
