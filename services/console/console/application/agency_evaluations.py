"""My agency's evaluations: monitoring's evaluation of each project the agency leads (registry), as of
a day, with the reasons behind each status. A project monitoring refuses or does not know yet keeps
its row, with the refusal, so one project never hides the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.application.agency_requests import agency_name
from console.application.project_progress import evaluation_of
from console.domain.evaluation_reasons import Reason, reasons


@dataclass(frozen=True)
class ShowEvaluations:
    agency: str | None
    as_of: str | None = None


@dataclass(frozen=True)
class ProjectEvaluation:
    project: dict[str, Any]
    evaluation: dict[str, Any] | None
    reasons: list[Reason]
    problem: ApiProblem | None


@dataclass(frozen=True)
class EvaluationsView:
    agency: str
    name: dict[str, str]
    as_of: str | None
    projects: list[ProjectEvaluation]


async def handle(query: ShowEvaluations, gateway: GatewayClient) -> EvaluationsView:
    if not query.agency:
        raise ApiProblem(403, "No agency", "Your account names no agency, so there are no agency projects to show.")
    projects = await gateway.all_items("/api/v1/projects", {"agency": query.agency, "role": "lead"})
    projects.sort(key=lambda p: p.get("code") or "")
    found = []
    for project in projects:
        try:
            evaluation = await evaluation_of(gateway, project["id"], query.as_of)
        except ApiProblem as problem:
            if problem.status == 422:  # the day itself is wrong: the page says so once, not per project
                raise
            found.append(ProjectEvaluation(project, None, [], problem))
            continue
        found.append(ProjectEvaluation(project, evaluation, reasons(evaluation), None))
    return EvaluationsView(query.agency, await agency_name(gateway, query.agency), query.as_of, found)
