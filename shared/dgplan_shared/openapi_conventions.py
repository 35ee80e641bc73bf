"""What the OpenAPI document must say although the routes' signatures cannot say it.

Idempotency-Key: the POSTs that create something or post money refuse a request without the
header with 428 ``idempotency-key-required`` (``problems.checked_idempotency_key``, the same in
every service) instead of FastAPI's generic 422 for a missing parameter. So they declare the
header ``str | None = None``, and FastAPI documents it ``required: false``, which tells an
integrating agency system that it may leave the key out. ``install`` corrects the generated
document, without touching what the routes do: on every POST the Idempotency-Key parameter is
``required: true``, and the problem a missing key gets is documented. A POST that really accepts a
request without a key says so with ``openapi_extra=IDEMPOTENCY_KEY_OPTIONAL`` and keeps
``required: false`` (none does today).
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from dgplan_shared.problems import IDEMPOTENCY_KEY_REQUIRED, PROBLEM_RESPONSES, TYPE_PREFIX

IDEMPOTENCY_KEY = "Idempotency-Key"
OPTIONAL_MARK = "x-dgplan-idempotency-key-optional"
IDEMPOTENCY_KEY_OPTIONAL: dict[str, Any] = {OPTIONAL_MARK: True}
# A header declared required in the signature is refused by FastAPI's request validation.
VALIDATION_REFUSAL = (422, "validation-error")


def idempotency_key_parameter(operation: dict[str, Any]) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and str(parameter.get("name", "")).lower() == IDEMPOTENCY_KEY.lower():
            return parameter
    return None


def document_idempotency_keys(document: dict[str, Any], refusal: tuple[int, str]) -> dict[str, Any]:
    """Rewrite ``document`` in place (once: it is FastAPI's cached copy); ``refusal`` is the
    (status, problem slug) the service's own code answers to a POST without the key."""
    for item in document.get("paths", {}).values():
        operation = item.get("post")
        if not isinstance(operation, dict) or operation.get(OPTIONAL_MARK):
            continue
        parameter = idempotency_key_parameter(operation)
        if parameter is None:
            continue
        status, slug = VALIDATION_REFUSAL if parameter.get("required") else refusal
        parameter["required"] = True
        schema = parameter.get("schema", {})
        if "anyOf" in schema:  # ``str | None``: a header that is sent is a string, never null
            branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
            if len(branches) == 1:
                parameter["schema"] = {**{k: v for k, v in schema.items() if k != "anyOf"}, **branches[0]}
        parameter.setdefault(
            "description",
            "Required: a unique string per intended change (at most 200 characters). A retry with the "
            "same key gets the first answer and has no second effect; the same key with another request "
            f"is refused. Without it: {status} `{TYPE_PREFIX}{slug}`.",
        )
        responses = operation.setdefault("responses", {})
        answer = responses.setdefault(str(status), copy.deepcopy(PROBLEM_RESPONSES[status]))
        missing = f"also a missing Idempotency-Key (`{TYPE_PREFIX}{slug}`)"
        answer["description"] = f"{answer.get('description', '')}; {missing}"
    return document


def install(app: FastAPI, idempotency_key_refusal: tuple[int, str] = IDEMPOTENCY_KEY_REQUIRED) -> None:
    """Make ``app.openapi()`` (what ``/openapi.json`` serves, and the gateway merges) follow the conventions."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_idempotency_keys(generate(), idempotency_key_refusal)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
