"""Every operation of the gateway's merged OpenAPI document, called through the gateway by every
role on realistic resources (MOF's project, request and report wherever an agency owns them):

- anonymous callers get 401 wherever the route is not public, signed-in callers without the
  role or body get 403;
- no agency reads or changes another agency's project, request or report (403 or 404, never
  2xx), and its successful answers never carry the other agency's private ids;
- only the body that owns the current stage of a workflow votes or decides on it (another body
  deciding at a later or earlier stage gets 409 "not now", everyone else 403 "never");
- nothing answers 5xx.

The expectations are a table (operation -> who may). An operation of the document that is not in
the table fails the test, so a new route cannot go unreviewed.
"""

from __future__ import annotations

import pytest

from security_access_table import (  # type: ignore[import-not-found]
    ANON,
    CALL_ORDER,
    EXPECTED,
    MOF,
    OP,
    OPDC,
    SEC,
    STAGE_OWNER,
    owner_role,
)
from security_matrix_calls import Operation, operations, request_for  # type: ignore[import-not-found]


def _order(operation: Operation) -> tuple[int, ...]:
    """Reads first; then writes, the ones that end a resource's life last."""
    final = any(word in operation.path for word in ("/submit", "/close", "/package")) or operation.method == "DELETE"
    return (operation.is_write, final)


def test_every_operation_has_an_expectation(setting):
    _, _, openapi = setting
    documented = {str(op) for op in operations(openapi)}
    assert documented - EXPECTED.keys() == set(), "operations missing from the authorization table"
    assert EXPECTED.keys() - documented == set(), "table entries for operations that no longer exist"


def test_every_role_gets_exactly_what_the_table_allows(setting, suite):
    callers, world, openapi = setting
    ops = sorted(operations(openapi), key=_order)
    private_of_mof = {"MOF's request": world.requests["MOF"], "MOF's report": world.reports["MOF"]}
    problems = []
    for op in ops:
        rule = EXPECTED[str(op)]
        allowed = {(owner_role(world.stage_body) if r == STAGE_OWNER else r) for r in rule.allow}
        for role in CALL_ORDER:
            reader = callers[OP if "/admin/" in op.path else SEC].http
            response = callers[role].http.request(**request_for(world, op, reader))
            status = response.status_code
            where = f"{op} as {role}: {status} {response.text[:200]}"
            if status >= 500:
                problems.append(f"server error: {where}")
            elif rule.public:
                if status in (403,) or (status == 401 and op.path != "/oauth2/token"):
                    problems.append(f"public route refused: {where}")
            elif role in rule.hidden:
                if status not in (403, 404) and not (role == ANON and status == 401):
                    problems.append(f"other agency's resource reachable: {where}")
            elif role in allowed:
                if status in (401, 403):
                    problems.append(f"refused a caller the table allows: {where}")
            elif role == ANON:
                if status != 401:
                    problems.append(f"anonymous caller not asked to sign in: {where}")
            elif role in rule.not_now:
                if status != 409:
                    problems.append(f"caller acting at another stage not answered 409 (not now): {where}")
            elif status != 403:
                problems.append(f"caller without the role or body not refused with 403: {where}")
            if role == ANON and 200 <= status < 300:
                # MOF's proposed project is not public (the registry answers 404), so no public answer names it.
                hidden_from_public = {**private_of_mof, "MOF's project": world.projects["MOF"]}
                leaked = [name for name, value in hidden_from_public.items() if value in response.text]
                if leaked:
                    problems.append(f"anonymous caller sees {leaked}: {op} {status}")
            if role == OPDC and 200 <= status < 300:
                private = {**private_of_mof, "MOF's project": world.projects["MOF"]}
                leaked = [name for name, value in private.items() if value in response.text]
                if leaked:
                    problems.append(f"OPDC sees {leaked}: {op} {status}")
    assert problems == [], "\n".join(problems)


def test_a_token_of_one_agency_cannot_list_another_agencys_requests_and_reports(setting):
    callers, world, _ = setting
    for role, own, other in ((MOF, "MOF", "OPDC"), (OPDC, "OPDC", "MOF")):
        http = callers[role].http
        requests = http.get(f"/api/v1/screening/rounds/{world.round_id}/requests").json()["items"]
        assert world.requests[own] in {r["request_id"] for r in requests}
        assert {r["project_id"] for r in requests} == {world.projects[own]}
        reports = http.get("/api/v1/monitoring/progress-reports").json()["items"]
        assert world.reports[own] in {r["report_id"] for r in reports}
        assert {r["project_id"] for r in reports} == {world.projects[own]}
        # asking for the other agency's data by filter is refused, not answered with an empty page
        assert http.get("/api/v1/budget/entries", params={"agency": other}).status_code == 403
