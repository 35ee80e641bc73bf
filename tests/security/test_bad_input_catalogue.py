"""The bad-input catalogue against every write operation of the merged OpenAPI document.

Every write operation (enumerated from the document, so a new one is covered at once) gets its
well-formed request broken in each way the catalogue knows: oversized and deeply nested bodies,
malformed JSON, wrong types, integers beyond range, floats for money, invalid UTF-8 and lone
surrogates in Thai text, NUL characters, unknown fields, injection strings as ids, missing,
forged, expired and foreign-audience tokens, and another agency's token on MOF's resources.

Each case must get a clear 4xx problem (the exact status where one is right: 401, 403/404, 413,
422) and change nothing: every table of every service's database is the same before and after.
"""

from __future__ import annotations

import httpx
import pytest

import security_suite as suite_module  # type: ignore[import-not-found]
from security_access_table import EXPECTED, OPDC, acting_role  # type: ignore[import-not-found]
from security_bad_inputs import (  # type: ignore[import-not-found]
    BODY_MUTATIONS,
    OTHER_AGENCY,
    TOKEN_MUTATIONS,
    set_at,
    text_location,
)
from security_matrix_calls import fill, operations, path_values, request_for  # type: ignore[import-not-found]

MIN_CASES_PER_OPERATION = 6


def _body_schema(openapi: dict, method: str, path: str) -> dict:
    body = openapi["paths"][path][method.lower()].get("requestBody") or {}
    return body.get("content", {}).get("application/json", {}).get("schema", {})


def _headers_for(suite, role: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if role == "none":
        return {}
    if role == "garbage":
        return {"Authorization": "Bearer not.a.jwt"}
    if role in ("forged", "expired", "wrong-audience"):
        return {"Authorization": f"Bearer {suite.crafted_token(role)}"}
    return suite_module.ROLE_BY_NAME[role].gateway_headers(suite)


def test_every_write_operation_is_refused_bad_input_and_nothing_is_written(setting, suite):
    callers, world, openapi = setting
    # The OAuth2 endpoints take forms, not JSON, and answer in OAuth's own error format; the
    # gateway's tests cover their bad input.
    writes = [op for op in operations(openapi) if op.is_write and not op.path.startswith("/oauth2/")]
    assert len(writes) >= 40
    problems, coverage = [], {}
    http = httpx.Client(base_url=suite.gateway_url, timeout=60)
    for op in writes:
        name = str(op)
        acting = acting_role(name, world.stage_body)
        reader = callers["operator" if "/admin/" in op.path else "secretariat"].http
        well_formed = request_for(world, op, reader)
        context = {"openapi": openapi, "template": op.path, "path_values": path_values(world, op.path)}
        schema = _body_schema(openapi, op.method, op.path)
        # A public write (the unsubscribe link of a notice mail) needs no token: a missing one is no fault.
        tokens = [m for m in TOKEN_MUTATIONS if not (EXPECTED[name].public and m.role == "none")]
        mutations = list(BODY_MUTATIONS) + tokens
        if OPDC in EXPECTED[name].hidden:
            mutations.append(OTHER_AGENCY)
        coverage[name] = 0
        for mutation in mutations:
            broken = mutation.apply(well_formed, schema, context)
            if broken is None:
                continue
            coverage[name] += 1
            headers = {**broken.pop("headers", {}), **_headers_for(suite, mutation.role or acting)}
            before = suite.snapshot()
            response = http.request(**broken, headers=headers)
            after = suite.snapshot()
            where = f"{name} / {mutation.name} (as {mutation.role or acting}): {response.status_code} {response.text[:200]}"
            expected = mutation.expect or tuple(range(400, 500))
            if response.status_code not in expected:
                problems.append(f"expected {'/'.join(map(str, mutation.expect)) or '4xx'}: {where}")
            elif response.headers.get("content-type", "").split(";")[0] != "application/problem+json":
                problems.append(f"not a problem+json answer: {where}")
            changed = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
            if changed:
                problems.append(f"wrote to {changed}: {where}")
    print(f"bad-input catalogue: {sum(coverage.values())} cases over {len(coverage)} write operations")
    # A public write with neither body nor path ids (the unsubscribe link: its token is in the query,
    # and bad tokens are the notifications tests' business) has fewer cases that apply.
    thin = {name: n for name, n in coverage.items() if n < MIN_CASES_PER_OPERATION and not EXPECTED[name].public}
    assert thin == {}, "write operations with too little catalogue coverage"
    assert problems == [], "\n".join(problems)


def test_a_well_formed_request_passes_so_the_catalogue_tests_the_mutation_not_the_setup(setting, suite):
    """The baseline: MOF's well-formed progress report and posting are accepted (or refused on
    business grounds), so a 4xx above comes from the broken part of the request."""
    callers, world, openapi = setting
    for path in ("/api/v1/monitoring/progress-reports", "/api/v1/projects"):
        op = next(o for o in operations(openapi) if o.method == "POST" and o.path == path)
        request = request_for(world, op, callers["secretariat"].http)
        if path == "/api/v1/monitoring/progress-reports":
            request["json"]["quarter"] = 3
        response = callers["agency-MOF"].http.request(**request)
        assert response.status_code in (200, 201), response.text
    assert fill("/a/{x}", {"x": "1"}) == "/a/1"


# NIKHAHIT + SARA AA (as some keyboards and PDF copy type "ทำ") with a zero-width space inside.
LOOK_ALIKE, ONE_SPELLING = "ทํางาน\u200bตรวจ", "ทำงานตรวจ"


def test_thai_look_alikes_are_stored_in_one_spelling_by_every_write(setting, suite):
    """Issue 16 item 5 as a catalogue family: every write operation whose body carries free text
    stores the look-alike spelling as the one normalized spelling. Runs last in this module: unlike
    the cases above, these requests are meant to succeed and do write."""
    callers, world, openapi = setting
    writes = [op for op in operations(openapi) if op.is_write and not op.path.startswith("/oauth2/")]
    http = httpx.Client(base_url=suite.gateway_url, timeout=60)
    echoed, kept_as_typed = [], []
    for index, op in enumerate(writes):
        name = str(op)
        reader = callers["operator" if "/admin/" in op.path else "secretariat"].http
        well_formed = request_for(world, op, reader)
        location = text_location(well_formed, _body_schema(openapi, op.method, op.path), openapi)
        if location is None:
            continue
        request = {**well_formed, "json": set_at(well_formed["json"], location, f"{LOOK_ALIKE} {index}")}
        headers = {**request.pop("headers", {}), **_headers_for(suite, acting_role(name, world.stage_body))}
        response = http.request(**request, headers=headers)
        if not response.is_success:
            continue  # refused for its state (a record the world already made, a stage passed): not this test's
        if LOOK_ALIKE in response.text or "\\u0e4d\\u0e32" in response.text:
            kept_as_typed.append(name)
        elif f"{ONE_SPELLING} {index}" in response.text:
            echoed.append(name)
    assert kept_as_typed == [], f"stored as typed: {kept_as_typed}"
    # Enough writes answered with the text they stored for the family to mean something.
    assert len(echoed) >= 8, f"only {len(echoed)} writes echoed their text: {echoed}"
