"""The bad-input catalogue: hostile and malformed variants of a well-formed write request.

Each mutation takes the well-formed request (keyword arguments for ``httpx.Client.request``) and
the operation's request-body schema, and returns a broken copy, or None when it does not apply to
that operation (no integer field to overflow, no body to break...). The expected answer is a 4xx
problem (401 for token mutations, 403/404 for another agency's token) and no change anywhere.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

Request = dict[str, Any]
Schema = dict[str, Any]

INJECTIONS = ("' OR '1'='1' --", "1; DROP TABLE plans; --", "../../../../etc/passwd", "<script>alert(1)</script>",
              "${jndi:ldap://127.0.0.1/a}", "{{7*7}}")
MONEY_PATTERN = re.compile(r"\\d|\[0-9\]")


@dataclass(frozen=True)
class Mutation:
    name: str
    apply: Callable[[Request, Schema, dict[str, Any]], Request | None]
    expect: tuple[int, ...] = ()  # exact statuses; empty = any 4xx
    role: str | None = None  # send as this role instead of the acting one ("none" = no token)


def _resolve(schema: Schema, openapi: dict[str, Any]) -> Schema:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _branches(schema: Schema, openapi: dict[str, Any]) -> list[Schema]:
    schema = _resolve(schema, openapi)
    found = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            found.append(_resolve(branch, openapi))
    return found


def _fields(body: Any, schema: Schema, openapi: dict[str, Any]) -> list[tuple[str, Any, list[Schema]]]:
    """Top-level fields of the body with the schema branches that describe them."""
    if not isinstance(body, dict):
        return []
    properties = _resolve(schema, openapi).get("properties", {})
    return [(name, value, _branches(properties.get(name, {}), openapi)) for name, value in body.items()]


def _with_body(request: Request, body: Any) -> Request:
    # Serialized here with ASCII escapes, so that text Python cannot encode (lone surrogates)
    # travels as the JSON escape a hostile client would send.
    return _with_content(request, json.dumps(body).encode())


def _with_content(request: Request, content: bytes, content_type: str = "application/json") -> Request:
    changed = copy.deepcopy({k: v for k, v in request.items() if k != "json"})
    changed["content"] = content
    changed["headers"] = {**changed.get("headers", {}), "Content-Type": content_type}
    return changed


def text_location(request: Request, schema: Schema, openapi: dict[str, Any]) -> list[str] | None:
    """Where free text sits in the body: a Thai/English pair first, else a string without a
    pattern or enum (an id or code would be refused for its shape before the text is looked at)."""
    body = request.get("json")
    if not isinstance(body, dict):
        return None
    for name, value in body.items():
        if isinstance(value, dict) and isinstance(value.get("th"), str):
            return [name, "th"]
    fallback = None
    for name, value, branches in _fields(body, schema, openapi):
        if isinstance(value, str):
            if not any("pattern" in b or "enum" in b or "format" in b for b in branches):
                return [name]
            fallback = fallback or [name]
    return fallback


def set_at(body: dict[str, Any], location: list[str], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target = changed
    for key in location[:-1]:
        target = target[key]
    target[location[-1]] = value
    return changed


# --- body mutations -----------------------------------------------------------------------

def oversized(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request:
    filler = "ก" * (2 * 1024 * 1024)  # 6 MB of UTF-8, well past any body limit
    body = request.get("json") if isinstance(request.get("json"), dict) else {}
    return _with_body(request, {**body, "padding": filler})


def deep_json(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    if "json" not in request:
        return None
    depth = 100_000
    return _with_content(request, ("[" * depth + "]" * depth).encode())


def _deep_ladder(depth: int) -> Callable[[Request, Schema, dict[str, Any]], Request | None]:
    def apply(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
        """Nesting just past what a recursive parser or validator survives: refused before parsing."""
        if "json" not in request:
            return None
        return _with_content(request, ("[" * depth + "]" * depth).encode())

    return apply


# Digits of other scripts: Python's int() and Decimal() read them all, the OpenAPI's 0-9 does not.
FOREIGN_DIGITS = {
    "Thai": "๐๑๒๓๔๕๖๗๘๙", "Devanagari": "०१२३४५६७८९", "Arabic-Indic": "٠١٢٣٤٥٦٧٨٩",
    "fullwidth": "０１２３４５６７８９", "mathematical bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "Khmer": "០១២៣៤៥៦៧៨៩",
}


def _foreign(text: str, digits: str) -> str:
    return "".join(digits[int(ch)] if ch.isdigit() else ch for ch in text)


def _integer_fields(body: Any, schema: Schema, openapi: dict[str, Any]) -> list[str]:
    return [name for name, value, branches in _fields(body, schema, openapi)
            if isinstance(value, int) and not isinstance(value, bool) and any(b.get("type") == "integer" for b in branches)]


def _digits_of(script: str) -> Callable[[Request, Schema, dict[str, Any]], Request | None]:
    digits = FOREIGN_DIGITS[script]

    def apply(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
        """The same amount or number written in another script's digits, in every numeric field."""
        body = request.get("json")
        money = _money_fields(body, schema, ctx["openapi"])
        integers = _integer_fields(body, schema, ctx["openapi"]) + _quantity_fields(body, schema, ctx["openapi"])
        if not money and not integers:
            return None
        changed = copy.deepcopy(body)
        for name in money:
            value = changed[name]
            changed[name] = ({k: _foreign(v, digits) for k, v in value.items()} if isinstance(value, dict)
                             else _foreign(value, digits))
        for name in integers:
            changed[name] = _foreign(str(changed[name]), digits)
        return _with_body(request, changed)

    return apply


def malformed_json(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    if "json" not in request:
        return None
    return _with_content(request, b'{"code": "x", "name": ')


def not_json(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    if "json" not in request:
        return None
    return _with_content(request, json.dumps(request["json"]).encode(), "text/plain")


def wrong_types(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    body = request.get("json")
    if not isinstance(body, dict) or not body:
        return None
    required = _resolve(schema, ctx["openapi"]).get("required") or list(body)
    if not required:
        return None
    return _with_body(request, {**body, required[0]: [[{"not": "this"}]]})


def body_not_an_object(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    if "json" not in request:
        return None
    return _with_body(request, ["a", 1, None])


def missing_required(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    if not _resolve(schema, ctx["openapi"]).get("required"):
        return None
    return _with_body(request, {})


def unknown_field(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    body = request.get("json")
    if not isinstance(body, dict) or "properties" not in _resolve(schema, ctx["openapi"]):
        return None
    return _with_body(request, {**body, "is_admin": True, "__proto__": {"polluted": True}})


def number_beyond_range(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    body = request.get("json")
    for name, _, branches in _fields(body, schema, ctx["openapi"]):
        if any(b.get("type") == "integer" for b in branches):
            return _with_body(request, {**body, name: 10**40})
    if isinstance(body, dict) and _resolve(schema, ctx["openapi"]).get("properties", {}):
        for name, prop in _resolve(schema, ctx["openapi"])["properties"].items():
            if any(b.get("type") == "integer" for b in _branches(prop, ctx["openapi"])):
                return _with_body(request, {**body, name: -(10**40)})
    return None


def _takes_numbers(branches: list[Schema]) -> bool:
    return any(b.get("type") == "number" for b in branches)


def _quantity_fields(body: Any, schema: Schema, openapi: dict[str, Any]) -> list[str]:
    """Fields that take a JSON number or a decimal string (indicator values, percent complete)."""
    return [name for name, value, branches in _fields(body, schema, openapi)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and _takes_numbers(branches)
            and any(b.get("type") == "string" and MONEY_PATTERN.search(b.get("pattern", "")) for b in branches)]


def _money_fields(body: Any, schema: Schema, openapi: dict[str, Any]) -> list[str]:
    names = []
    for name, value, branches in _fields(body, schema, openapi):
        # A measured quantity (a number or a decimal string) takes floats on purpose: not money.
        money_string = not _takes_numbers(branches) and any(
            b.get("type") == "string" and MONEY_PATTERN.search(b.get("pattern", "")) for b in branches
        )
        money_map = isinstance(value, dict) and value and all(isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?", v)
                                                              for v in value.values())
        if money_string or money_map:
            names.append(name)
    return names


def float_for_money(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    body = request.get("json")
    names = _money_fields(body, schema, ctx["openapi"])
    if not names:
        return None
    name = names[0]
    value: Any = {k: 1000.5 for k in body[name]} if isinstance(body[name], dict) else 1000.5
    return _with_body(request, {**body, name: value})


def invalid_utf8(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    location = text_location(request, schema, ctx["openapi"])
    if location is None:
        return None
    raw = json.dumps(set_at(request["json"], location, "MARK"), ensure_ascii=False).encode()
    return _with_content(request, raw.replace(b"MARK", b"\xe0\xb8\xff\xfe\xc0\xaf"))


def lone_surrogate(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    location = text_location(request, schema, ctx["openapi"])
    if location is None:
        return None
    raw = json.dumps(set_at(request["json"], location, "MARK")).encode()
    return _with_content(request, raw.replace(b"MARK", b"\\ud800\\u0e01"))


def nul_character(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    location = text_location(request, schema, ctx["openapi"])
    if location is None:
        return None
    return _with_body(request, set_at(request["json"], location, "กข\u0000ค"))


def _in_identifier(value: str) -> Callable[[Request, Schema, dict[str, Any]], Request | None]:
    def apply(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
        """``value`` where the service expects an id, a code or a fixed word."""
        body = request.get("json")
        for name, current, branches in _fields(body, schema, ctx["openapi"]):
            constrained = any("pattern" in b or "enum" in b for b in branches)
            if isinstance(current, str) and (constrained or name.endswith("_id") or name in ("code", "agency", "role")):
                return _with_body(request, {**body, name: value})
        return None

    return apply


injection_in_identifier = _in_identifier(INJECTIONS[0])
# Thai and Latin mixed in a code, with a vowel sign that has no consonant to sit on and a
# right-to-left override that would make the code display differently from what it is.
mixed_script_identifier = _in_identifier("\u0e34กข-AB\u202e01")
surrogate_identifier = _in_identifier("\ud800x")


def injection_in_path(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    template: str = ctx["template"]
    if "{" not in template:
        return None
    names = re.findall(r"{([^}]+)}", template)
    values = dict(ctx["path_values"])
    values[names[-1]] = INJECTIONS[1]
    changed = copy.deepcopy(request)
    changed["url"] = re.sub(r"{([^}]+)}", lambda m: quote(values[m.group(1)], safe=""), template)
    return changed


def traversal_in_path(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request | None:
    template: str = ctx["template"]
    if "{" not in template:
        return None
    names = re.findall(r"{([^}]+)}", template)
    values = dict(ctx["path_values"])
    values[names[0]] = INJECTIONS[2]
    changed = copy.deepcopy(request)
    changed["url"] = re.sub(r"{([^}]+)}", lambda m: quote(values[m.group(1)], safe=""), template)
    return changed


def unchanged(request: Request, schema: Schema, ctx: dict[str, Any]) -> Request:
    return copy.deepcopy(request)


BODY_MUTATIONS: tuple[Mutation, ...] = (
    Mutation("oversized body", oversized, (413,)),
    Mutation("deeply nested JSON", deep_json),
    *(Mutation(f"JSON nested {depth} deep", _deep_ladder(depth), (400,)) for depth in (100, 500, 1000, 10_000)),
    *(Mutation(f"{script} digits in numeric fields", _digits_of(script), (422,)) for script in FOREIGN_DIGITS),
    Mutation("malformed JSON", malformed_json),
    Mutation("JSON sent as text/plain", not_json),
    Mutation("wrong type for a required field", wrong_types),
    Mutation("body is not an object", body_not_an_object),
    Mutation("required fields missing", missing_required),
    Mutation("unknown fields", unknown_field),
    Mutation("integer beyond range", number_beyond_range),
    Mutation("float for money", float_for_money, (422,)),
    Mutation("invalid UTF-8 in Thai text", invalid_utf8),
    Mutation("lone surrogate in text", lone_surrogate),
    Mutation("lone surrogate in an identifier", surrogate_identifier),
    Mutation("NUL character in text", nul_character),
    Mutation("injection string as an identifier", injection_in_identifier),
    Mutation("mixed Thai/Latin with a stray vowel sign and RTL override as an identifier", mixed_script_identifier),
    Mutation("injection string as a path id", injection_in_path),
    Mutation("path traversal as a path id", traversal_in_path),
)

TOKEN_MUTATIONS: tuple[Mutation, ...] = (
    Mutation("no token", unchanged, (401,), role="none"),
    Mutation("forged token (signed with a key the gateway never issued)", unchanged, (401,), role="forged"),
    Mutation("expired token", unchanged, (401,), role="expired"),
    Mutation("token for another audience", unchanged, (401,), role="wrong-audience"),
    Mutation("malformed bearer", unchanged, (401,), role="garbage"),
)

OTHER_AGENCY = Mutation("another agency's token on MOF's resource", unchanged, (403, 404), role="agency-OPDC")
