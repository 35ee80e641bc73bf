"""Turning an operation of the merged OpenAPI document into a concrete call on the security world."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from security_world import World  # type: ignore[import-not-found]
from security_write_requests import BODIES, ETAG_SOURCES, Upload  # type: ignore[import-not-found]

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # template, as in the document

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def operations(openapi: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in openapi["paths"].items():
        for method in item:
            if method.upper() in ("GET", *WRITE_METHODS):
                found.append(Operation(method.upper(), path))
    return found


# Required query parameters of read operations.
QUERIES = {
    "/api/v1/plans/{plan_id}/diff": lambda w: {"from": w.approved_version_id, "to": w.draft_version_id},
    "/api/v1/monitoring/plans/{plan_id}/scorecard": lambda w: {"fiscal_year": 2565},
    "/api/v1/monitoring/reports/mid-year": lambda w: {"fiscal_year": 2565, "plan_id": w.plan_id},
    "/api/v1/monitoring/reports/year-end": lambda w: {"fiscal_year": 2565, "plan_id": w.plan_id},
    "/api/v1/monitoring/reports/alignment": lambda w: {"plan_id": w.plan_id},
    # CSV, not the zipped XLSX, so that the leak checks can read what another agency is given
    "/api/v1/screening/rounds/{round_id}/exports/requests": lambda w: {"format": "csv"},
    "/api/v1/budget/exports/balances": lambda w: {"format": "csv", "group_by": "project"},
    "/api/v1/budget/open-data/fiscal-data-package": lambda w: {"plan_id": w.plan_id},
}


def _code_for(template: str) -> str:
    """A ``{code}`` that names something real: a body, the seed's framework, else an agency."""
    if template.startswith("/api/v1/governance/bodies"):
        return "nesdc"
    if template.startswith("/api/v1/frameworks"):
        return "national-strategy"
    return "MOF"


def path_values(world: World, template: str) -> dict[str, str]:
    """Realistic ids for the path parameters; resources of MOF wherever an agency owns them."""
    values = {
        "plan_id": world.plan_id,
        "version_id": world.draft_version_id,
        "node_id": world.scratch_node_id,
        "project_id": world.projects["MOF"],
        "round_id": world.round_id,
        "request_id": world.requests["MOF"],
        "report_id": world.reports["MOF"],
        "indicator_id": world.indicator_id,
        "observation_id": world.observation_id,
        "entry_id": world.entry_id,
        "instance_id": world.instance_id,
        "client_id": world.client_id,
        "endpoint_id": world.endpoint_id,
        "delivery_id": world.delivery_id,
        "subject": "demo-nesdc",
        "kind": "stage-overdue",  # a kind of e-mail notice
        "key": "plan-approval",
        "dimension": "agencies",
        "code": _code_for(template),
    }
    names = re.findall(r"{([^}]+)}", template)
    missing = [n for n in names if n not in values]
    assert not missing, f"no realistic value for {missing} in {template}"
    return {n: values[n] for n in names}


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"{([^}]+)}", lambda m: values[m.group(1)], template)


def request_for(world: World, operation: Operation, etag_reader: httpx.Client) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.request``: method, url, headers and body."""
    values = path_values(world, operation.path)
    kwargs: dict[str, Any] = {"method": operation.method, "url": fill(operation.path, values), "headers": {}}
    if not operation.is_write:
        query = QUERIES.get(operation.path)
        if query is not None:
            kwargs["params"] = query(world)
        return kwargs
    key = (operation.method, operation.path)
    if key == ("POST", "/oauth2/token"):
        kwargs["data"] = {"grant_type": "client_credentials"}
        return kwargs
    if key == ("POST", "/oauth2/authorize"):  # the login form a browser posts
        kwargs["data"] = {"client_id": "dgplan-console", "username": "nobody", "password": "wrong"}
        return kwargs
    assert key in BODIES, f"no well-formed request for {operation} in write_requests.BODIES"
    body = BODIES[key](world)
    if isinstance(body, Upload):
        kwargs["content"] = body.content
        kwargs["headers"]["Content-Type"] = body.media_type
    elif body is not None:
        kwargs["json"] = body
    kwargs["headers"]["Idempotency-Key"] = uuid.uuid4().hex
    if key in ETAG_SOURCES:
        current = etag_reader.get(fill(ETAG_SOURCES[key], values))
        if current.headers.get("etag"):
            kwargs["headers"]["If-Match"] = current.headers["etag"]
    return kwargs
