"""Every route prefix against every role, for reads and writes: unauthenticated callers get 401,
callers whose roles have no business there get 403, everyone else reaches the service (or the
gateway route) with their identity. The expectations are written out here, independently of the
gateway's policy table, as the specification the table must meet."""

from __future__ import annotations

import re

import pytest

from gateway.edge.domain.access_policy import RULES

ROLES = ("public", "secretariat", "agency", "body_member", "operator", "service")
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"public"}

# prefix: (roles that may read, roles that may write); {name} stands for any one segment
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "/api/v1/budget/frameworks/{plan_id}/reconciliation": (EVERYONE, set()),
    "/api/v1/screening/rounds/{round_id}/results": (EVERYONE, set()),
    "/api/v1/screening/published-rounds": (EVERYONE, set()),
    "/api/v1/budget/open-data/fiscal-data-package": (EVERYONE, set()),
    "/api/v1/plans": (EVERYONE, {"secretariat", "service"}),
    "/api/v1/agencies": (EVERYONE, {"secretariat", "service"}),
    "/api/v1/projects": (EVERYONE, {"secretariat", "agency", "service"}),
    "/api/v1/frameworks": (EVERYONE, {"secretariat", "service"}),
    "/api/v1/observations": (SIGNED_IN, {"secretariat", "body_member", "service"}),
    "/api/v1/budget": (SIGNED_IN, {"secretariat", "agency", "body_member", "service"}),
    "/api/v1/screening": (SIGNED_IN, {"secretariat", "agency", "body_member", "service"}),
    "/api/v1/monitoring": (EVERYONE, {"secretariat", "agency", "service"}),
    "/api/v1/webhooks": ({"secretariat", "agency", "operator"}, {"secretariat", "agency", "operator"}),
    "/api/v1/governance": (SIGNED_IN, {"secretariat", "body_member", "operator", "service"}),
    "/api/v1/audit": ({"secretariat", "operator"}, set()),
    "/api/v1/admin": ({"operator"}, {"operator"}),
    "/api/v1/notices/unsubscribe": (EVERYONE, EVERYONE),
}
UPSTREAM = {
    "/api/v1/budget/frameworks/{plan_id}/reconciliation": "budget-ledger",
    "/api/v1/screening/rounds/{round_id}/results": "budget-ledger",
    "/api/v1/screening/published-rounds": "budget-ledger",
    "/api/v1/budget/open-data/fiscal-data-package": "budget-ledger",
    "/api/v1/plans": "plan-registry",
    "/api/v1/agencies": "plan-registry",
    "/api/v1/projects": "plan-registry",
    "/api/v1/observations": "plan-registry",
    "/api/v1/frameworks": "plan-registry",
    "/api/v1/budget": "budget-ledger",
    "/api/v1/screening": "budget-ledger",
    "/api/v1/monitoring": "monitoring",
    "/api/v1/webhooks": "notifications",
    "/api/v1/notices/unsubscribe": "notifications",
}
OPEN_ROUTES = [
    ("GET", "/healthz"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/.well-known/openid-configuration"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
]


def test_the_matrix_covers_every_prefix_of_the_policy():
    assert {rule.prefix for rule in RULES} - {"/api/v1"} == set(EXPECTED)


def expected_status(role: str, allowed: set[str]) -> int | None:
    if role in allowed or "public" in allowed:
        return None
    return 401 if role == "public" else 403


async def test_every_prefix_against_every_role(gateway, bearer):
    failures = []
    async with gateway(rate_limit_per_second=0) as (client, runtime):
        headers = {"public": {}}
        for role in ROLES[1:]:
            headers[role] = await bearer(runtime, role, agency="MOF" if role == "agency" else None, subject=f"t-{role}")
        for prefix, (readers, writers) in EXPECTED.items():
            for method, allowed in (("GET", readers), ("POST", writers), ("PATCH", writers), ("DELETE", writers)):
                for role in ROLES:
                    response = await client.request(
                        method, f"{_concrete(prefix)}/x", headers=headers[role], json={} if method != "GET" else None
                    )
                    want = expected_status(role, allowed)
                    got = response.status_code
                    if want is not None:
                        ok = got == want and response.headers["content-type"] == "application/problem+json"
                        if want == 401:
                            ok = ok and "Bearer" in response.headers.get("www-authenticate", "")
                    elif prefix in UPSTREAM:
                        body = response.json()
                        ok = got == 200 and body["service"] == UPSTREAM[prefix] and body["identity"]["roles"] == [role]
                    else:  # a gateway route: the router answers (404/405/422...), never the edge's 401/403
                        ok = got not in (401, 403)
                    if not ok:
                        failures.append((method, prefix, role, want, got))
    assert failures == []


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", template)


async def test_published_figures_are_public_but_the_rest_of_their_area_is_not(gateway):
    async with gateway() as (client, _):
        for path in ("/api/v1/screening/rounds/r1/results", "/api/v1/budget/frameworks/p1/reconciliation",
                     "/api/v1/budget/open-data/fiscal-data-package", "/api/v1/screening/published-rounds"):
            response = await client.get(path)
            assert response.status_code == 200 and response.json()["service"] == "budget-ledger", path
            assert (await client.post(path, json={})).status_code == 401  # read-only, even for the public
        for path in ("/api/v1/screening/rounds/r1", "/api/v1/screening/rounds/r1/status",
                     "/api/v1/screening/rounds/r1/results-and-more/x", "/api/v1/budget/frameworks/p1",
                     "/api/v1/budget/open-data", "/api/v1/budget/open-data/other"):
            assert (await client.get(path)).status_code == 401, path


async def test_open_routes_need_no_token(gateway):
    async with gateway() as (client, _):
        for method, path in OPEN_ROUTES:
            assert (await client.request(method, path)).status_code == 200, path


async def test_unknown_api_areas_need_a_signed_in_caller(gateway, bearer):
    async with gateway() as (client, runtime):
        assert (await client.get("/api/v1/unknown-area")).status_code == 401
        response = await client.get("/api/v1/unknown-area", headers=await bearer(runtime, "agency", agency="MOF"))
        assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/plansx", "/api/v1/budgetary"])
async def test_prefixes_match_whole_segments(gateway, path):
    async with gateway() as (client, _):
        # Not the plans/budget areas: the catch-all rule applies (sign in), and nothing is proxied.
        assert (await client.get(path)).status_code == 401


def _prefix_of(path: str) -> str | None:
    for prefix in EXPECTED:
        if path == prefix or path.startswith(prefix + "/"):
            return prefix
    return None


async def test_every_gateway_route_turns_away_roles_without_business_there(gateway, bearer):
    """Every operation the gateway itself serves (edge, governance, audit), by every role that the
    policy denies: 401 for the anonymous caller, 403 for the others, before any handler runs."""
    checked = 0
    failures = []
    async with gateway(rate_limit_per_second=0) as (client, runtime):
        operations = [
            (method.upper(), path)
            for path, item in (await client.get("/openapi.json")).json()["paths"].items()
            for method in item
            if method in ("get", "post", "put", "patch", "delete") and "x-dgplan-service" not in item[method]
        ]
        tokens = {role: await bearer(runtime, role, agency="MOF" if role == "agency" else None) for role in ROLES[1:]}
        tokens["public"] = {}
        for method, path in operations:
            prefix = _prefix_of(path)
            if prefix is None:
                continue
            readers, writers = EXPECTED[prefix]
            allowed = readers if method == "GET" else writers
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            for role in ROLES:
                want = expected_status(role, allowed)
                if want is None:
                    continue
                response = await client.request(
                    method, concrete, headers=tokens[role], json=None if method == "GET" else {}
                )
                checked += 1
                if response.status_code != want:
                    failures.append((method, path, role, want, response.status_code))
    assert failures == []
    assert checked > 20  # the admin routes alone give 25 denied combinations


@pytest.mark.parametrize("path", ["/api/v1/audit/entries", "/api/v1/audit/verify"])
async def test_the_audit_log_is_refused_at_the_edge_to_roles_the_audit_service_refuses(gateway, bearer, path):
    """Defect D7: body members (and services) were proxied to the audit routes only to be refused
    there. The edge refuses them itself now (its own 403, not the route's), while the secretariat
    and operators read the log, and body members still read the governance history."""
    async with gateway(rate_limit_per_second=0) as (client, runtime):
        for role in ("body_member", "service"):
            response = await client.get(path, headers=await bearer(runtime, role, subject=f"d7-{role}"))
            assert response.status_code == 403, (role, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert problem["type"] == "urn:dgplan:problem:forbidden"
            assert problem["detail"] == "Your roles do not allow this operation."  # the edge's words, not the route's
        for role in ("secretariat", "operator"):
            response = await client.get(path, headers=await bearer(runtime, role, subject=f"d7-{role}"))
            assert response.status_code == 200, (role, response.text)
        member = await bearer(runtime, "body_member", subject="d7-body_member")
        assert (await client.get("/api/v1/governance/history", headers=member)).status_code == 200
