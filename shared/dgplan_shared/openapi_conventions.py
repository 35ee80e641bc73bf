"""What the OpenAPI document must say although the routes' signatures cannot say it.

Idempotency-Key: the POSTs that create something or post money refuse a request without the
header with 428 ``idempotency-key-required`` (``problems.checked_idempotency_key``, the same in
every service) instead of FastAPI's generic 422 for a missing parameter. So they declare the
header ``str | None = None``, and FastAPI documents it ``required: false``, which tells an
integrating agency system that it may leave the key out. ``install`` corrects the generated
document, without touching what the routes do: on every POST the Idempotency-Key parameter is
``required: true``, and the problem a missing key gets is documented. A POST that really accepts a
request without a key says so with ``openapi_extra=IDEMPOTENCY_KEY_OPTIONAL`` and keeps
``required: false`` (none does today). The key's schema states its limits (1–200 characters;
blank is refused like missing).

If-Match: updates (and revisions) refuse a request without it with 428 and a stale one with 412
(``dgplan_shared.web.etags.require_if_match``), so every If-Match parameter is documented
``required: true`` with those two problems, unless the operation is marked
``openapi_extra=IF_MATCH_OPTIONAL``.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from dgplan_shared.problems import IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_REQUIRED, PROBLEM_RESPONSES, TYPE_PREFIX

IDEMPOTENCY_KEY = "Idempotency-Key"
OPTIONAL_MARK = "x-dgplan-idempotency-key-optional"
IDEMPOTENCY_KEY_OPTIONAL: dict[str, Any] = {OPTIONAL_MARK: True}
IF_MATCH = "If-Match"
IF_MATCH_OPTIONAL_MARK = "x-dgplan-if-match-optional"
IF_MATCH_OPTIONAL: dict[str, Any] = {IF_MATCH_OPTIONAL_MARK: True}
# A header declared required in the signature is refused by FastAPI's request validation.
VALIDATION_REFUSAL = (422, "validation-error")


def header_parameter(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and str(parameter.get("name", "")).lower() == name.lower():
            return parameter
    return None


def idempotency_key_parameter(operation: dict[str, Any]) -> dict[str, Any] | None:
    return header_parameter(operation, IDEMPOTENCY_KEY)


def _not_null(parameter: dict[str, Any]) -> None:
    """``str | None``: a header that is sent is a string, never null."""
    schema = parameter.get("schema", {})
    if "anyOf" in schema:
        branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(branches) == 1:
            parameter["schema"] = {**{k: v for k, v in schema.items() if k != "anyOf"}, **branches[0]}


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
        _not_null(parameter)
        parameter["schema"].update({"minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH, "pattern": r"\S"})
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


def document_if_match(document: dict[str, Any]) -> dict[str, Any]:
    for item in document.get("paths", {}).values():
        for method in ("post", "put", "patch", "delete"):
            operation = item.get(method)
            if not isinstance(operation, dict) or operation.get(IF_MATCH_OPTIONAL_MARK):
                continue
            parameter = header_parameter(operation, IF_MATCH)
            if parameter is None:
                continue
            parameter["required"] = True
            _not_null(parameter)
            parameter.setdefault("description", "The ETag you read. Without it: 428; if it is no longer current: 412.")
            responses = operation.setdefault("responses", {})
            for status in (412, 428):
                responses.setdefault(str(status), copy.deepcopy(PROBLEM_RESPONSES[status]))
    return document


def install(app: FastAPI, idempotency_key_refusal: tuple[int, str] = IDEMPOTENCY_KEY_REQUIRED) -> None:
    """Make ``app.openapi()`` (what ``/openapi.json`` serves, and the gateway merges) follow the conventions."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_if_match(document_idempotency_keys(generate(), idempotency_key_refusal))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
