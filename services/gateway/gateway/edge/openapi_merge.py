"""One OpenAPI document for the whole API: the gateway's own merged with each service's.

Schema names that clash between services are prefixed with the service's name (and every
``$ref`` rewritten); each operation is tagged with the service that answers it.
"""

from __future__ import annotations

import copy
from typing import Any

REF_PREFIX = "#/components/schemas/"
_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Every service serves these itself; the merged document keeps the gateway's.
_PER_PROCESS_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                name = value[len(REF_PREFIX) :]
                out[key] = REF_PREFIX + renames.get(name, name)
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _slug(service: str) -> str:
    return "".join(part.capitalize() for part in service.replace("_", "-").split("-"))


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]], unavailable: list[str]) -> dict[str, Any]:
    merged = copy.deepcopy(own)
    merged["info"] = {
        "title": "dgplan API",
        "version": own.get("info", {}).get("version", "0.1.0"),
        "description": (
            "Every dgplan service behind the gateway. Authenticate with a bearer token from "
            "`POST /oauth2/token` (client credentials) or your identity provider."
        ),
    }
    paths: dict[str, Any] = merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    operation_ids = {
        op.get("operationId")
        for item in paths.values()
        for method, op in item.items()
        if method in _OPERATIONS and isinstance(op, dict)
    }
    for service, document in sorted(services.items()):
        theirs = document.get("components", {}).get("schemas", {})
        renames = {
            name: f"{_slug(service)}{name}"
            for name, schema in theirs.items()
            if name in schemas and schemas[name] != schema
        }
        for name, schema in theirs.items():
            rewritten = _rewrite_refs(schema, renames)
            if name in renames and isinstance(rewritten, dict) and rewritten.get("title") == name:
                # Code generators name models by title: a renamed schema keeping its old title
                # would collide with the one that kept the name (openapi-python-client drops both).
                rewritten = {**rewritten, "title": renames[name]}
            schemas[renames.get(name, name)] = rewritten
        for path, item in document.get("paths", {}).items():
            if path in _PER_PROCESS_PATHS or path in paths:
                continue
            item = _rewrite_refs(copy.deepcopy(item), renames)
            for method, op in item.items():
                if method not in _OPERATIONS or not isinstance(op, dict):
                    continue
                op["x-dgplan-service"] = service
                op.setdefault("tags", [service])
                if op.get("operationId") in operation_ids:
                    op["operationId"] = f"{service}:{op['operationId']}"
                operation_ids.add(op.get("operationId"))
            paths[path] = item
    components.setdefault("securitySchemes", {})["oauth2"] = {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "/oauth2/token", "scopes": {}}},
    }
    components["securitySchemes"]["bearer"] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    merged["security"] = [{"bearer": []}, {}]
    if unavailable:
        merged["x-dgplan-unavailable"] = sorted(unavailable)
    return merged
