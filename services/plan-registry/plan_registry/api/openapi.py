"""If-Match is documented as what it is on updates: required.

PATCH and DELETE refuse a request without If-Match with 428 (``require_if_match``) rather than
FastAPI's 422 for a missing parameter, so the routes declare the header ``str | None`` and FastAPI
documents it ``required: false``. This corrects the generated document without touching what the
routes do, as ``dgplan_shared.openapi_conventions`` does for Idempotency-Key (the same correction
belongs there, for every service).
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from dgplan_shared.problems import PROBLEM_RESPONSES, TYPE_PREFIX

IF_MATCH = "if-match"
_METHODS = ("patch", "delete")


def document_if_match(document: dict[str, Any]) -> dict[str, Any]:
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            parameter = next((p for p in operation.get("parameters", [])
                              if p.get("in") == "header" and str(p.get("name", "")).lower() == IF_MATCH), None)
            if parameter is None:
                continue
            parameter["required"] = True
            schema = parameter.get("schema", {})
            if "anyOf" in schema:  # ``str | None``: a header that is sent is a string, never null
                branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
                if len(branches) == 1:
                    parameter["schema"] = {**{k: v for k, v in schema.items() if k != "anyOf"}, **branches[0]}
            parameter["schema"] = {**parameter.get("schema", {}), "minLength": 1}
            parameter.setdefault(
                "description",
                "Required: the ETag of the resource as you last read it (or `*`), so that a concurrent change "
                f"is not overwritten. Without it: 428 `{TYPE_PREFIX}precondition-required`; a stale one: "
                f"412 `{TYPE_PREFIX}precondition-failed`.",
            )
            responses = operation.setdefault("responses", {})
            for status, slug in (("428", "precondition-required"), ("412", "precondition-failed")):
                answer = responses.setdefault(status, copy.deepcopy(PROBLEM_RESPONSES.get(int(status), {
                    "description": "Problem", "content": {"application/problem+json": {}}})))
                answer["description"] = f"{answer.get('description', '')} (`{TYPE_PREFIX}{slug}`)".strip()
    return document


def install(app: FastAPI) -> None:
    """Wrap ``app.openapi`` (the shared conventions wrap this in turn; both rewrite once, in place)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_if_match(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
