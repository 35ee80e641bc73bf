"""A rolling upgrade, as Kubernetes does one: the migration Job runs while the previous release's
pods still serve, then new pods start beside the old ones until the old are gone (issue 18).

For each service whose schema this round changes, on real PostgreSQL: the previous release's code
(a git worktree of ``previous_release``) migrates an empty database and serves; this release's
migrations run under it; the old API keeps serving its reads and writes on the new schema; the
new API starts beside it on the same database and both serve, each seeing what the other wrote
and both keeping the invariants (a duplicate is refused whichever API it comes through).

Beside it, a static check that the migrations this round adds only expand (add tables, nullable
columns, indexes): what the old code reads must still be there while it runs.
"""

from __future__ import annotations

import ast
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from dgplan_contracts.identity import AGENCY, SECRETARIAT
from dgplan_shared.db.provisioning import create_postgres_database
from upgrade_support import ROOT, ServiceCode, caller, migrations_since_previous, previous_checkout

pytestmark = pytest.mark.postgres

SECRETARIAT_CALLER = dict(role=SECRETARIAT, subject="dga-officer", agency="DGA", bodies=("dga-secretariat",))


def _agency(code: str) -> dict[str, str]:
    return caller(AGENCY, f"system-{code.lower()}", agency=code)


def _secretariat() -> dict[str, str]:
    return caller(**SECRETARIAT_CALLER)  # type: ignore[arg-type]


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def _ok(response: httpx.Response, status: int, label: str) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, f"{label}: {response.status_code} {response.text}"
    return response.json() if response.content else {}


# --- the plan registry ---------------------------------------------------------------------------


def _registry_draft(api: httpx.Client) -> tuple[str, str, str]:
    """(plan, draft version, the measure S1-M1 in it): where agencies register projects."""
    plan = _ok(api.get("/api/v1/plans", params={"q": "DGDP-2563-2565"}, headers=_secretariat()), 200, "plans")
    plan_id = plan["items"][0]["id"]
    version = _ok(api.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers={**_secretariat(), **_key()}), 201,
                  "new draft")["id"]
    nodes = _ok(api.get(f"/api/v1/plans/{plan_id}/versions/{version}/nodes", params={"limit": 200},
                        headers=_secretariat()), 200, "nodes")["items"]
    return plan_id, version, next(n["id"] for n in nodes if n["code"] == "S1-M1")


def _register(api: httpx.Client, plan_id: str, measure: str, code: str) -> httpx.Response:
    return api.post("/api/v1/projects", headers={**_agency("MOF"), **_key()}, json={
        "plan_id": plan_id, "parent_id": measure, "code": code, "roles": [{"agency": "MOF", "role": "lead"}],
        "name": {"th": f"โครงการทดสอบการอัปเกรด {code}", "en": f"Upgrade test {code}"},
        "start_fy": 2565, "end_fy": 2565})


def _codes(api: httpx.Client, plan_id: str, version: str) -> set[str]:
    items = _ok(api.get(f"/api/v1/plans/{plan_id}/versions/{version}/nodes", params={"limit": 200},
                        headers=_secretariat()), 200, "nodes")["items"]
    return {n["code"] for n in items}


def registry_upgrade(old: ServiceCode, new: ServiceCode) -> None:
    old.command("migrate")
    old.command("setup")
    with old.api() as before:
        plan_id, version, measure = _registry_draft(before)
        _ok(_register(before, plan_id, measure, "S1-UPG-1"), 201, "old API, old schema")
        new.command("migrate")  # the migration Job, while the old pods serve
        _ok(_register(before, plan_id, measure, "S1-UPG-2"), 201, "old API, new schema")
        assert {"S1-UPG-1", "S1-UPG-2"} <= _codes(before, plan_id, version)
        with new.api() as after:
            _ok(_register(after, plan_id, measure, "S1-UPG-3"), 201, "new API beside the old")
            _ok(_register(before, plan_id, measure, "S1-UPG-4"), 201, "old API beside the new")
            for api in (before, after):
                assert {"S1-UPG-1", "S1-UPG-2", "S1-UPG-3", "S1-UPG-4"} <= _codes(api, plan_id, version)
            # The code stays unique in the version through either API, whoever wrote it first.
            assert _register(after, plan_id, measure, "S1-UPG-2").status_code == 409
            assert _register(before, plan_id, measure, "S1-UPG-3").status_code == 409
            approved = _ok(after.get("/api/v1/plans", params={"q": "DGDP-2563-2565"}), 200, "public list")
            assert approved["items"][0]["id"] == plan_id


# --- the budget ledger ---------------------------------------------------------------------------


def _open_round(api: httpx.Client) -> str:
    now = datetime.now(timezone.utc)
    return _ok(api.post("/api/v1/screening/rounds", headers={**_secretariat(), **_key()}, json={
        "plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "100000000.00", "title": "รอบทดสอบการอัปเกรด",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "decision_deadline": (now + timedelta(days=14)).isoformat()}), 201, "open round")["round_id"]


def _request(api: httpx.Client, round_id: str, project: str, agency: str, amount: str) -> httpx.Response:
    return api.post(f"/api/v1/screening/rounds/{round_id}/requests", headers={**_agency(agency), **_key()}, json={
        "project_id": project, "amounts": {"operating": amount}, "justification": "ทดสอบการอัปเกรด",
        "priority": 1, "multi_year": False})


def _requested(api: httpx.Client, round_id: str) -> str:
    status = _ok(api.get(f"/api/v1/screening/rounds/{round_id}/status", headers=_secretariat()), 200, "status")
    assert status["request_count"] == 4
    return str(status["requested_total"])


def ledger_upgrade(old: ServiceCode, new: ServiceCode) -> None:
    old.command("migrate")
    old.run(str(Path(__file__).parent / "feed_ledger.py"), old.database_url)  # the registry's events, old code
    with old.api() as before:
        round_id = _open_round(before)
        _ok(_request(before, round_id, "p-mof", "MOF", "1000000.00"), 201, "old API, old schema")
        new.command("migrate")
        _ok(_request(before, round_id, "p-opdc", "OPDC", "2000000.00"), 201, "old API, new schema")
        with new.api() as after:
            _ok(_request(after, round_id, "p-depa", "DEPA", "3000000.50"), 201, "new API beside the old")
            _ok(_request(before, round_id, "p-mdes", "MDES", "4000000.25"), 201, "old API beside the new")
            # One request per project and round, through either API.
            assert _request(after, round_id, "p-mof", "MOF", "1.00").status_code == 409
            assert _request(before, round_id, "p-depa", "DEPA", "1.00").status_code == 409
            for api in (before, after):
                assert _requested(api, round_id) == "10000000.75"


UPGRADES = {"plan-registry": registry_upgrade, "budget-ledger": ledger_upgrade}


@pytest.mark.parametrize("service", sorted(UPGRADES))
async def test_the_previous_release_and_this_one_serve_one_database_through_the_upgrade(
        service, postgres_server, tmp_path):
    with previous_checkout(tmp_path) as previous:
        url = await create_postgres_database(postgres_server, f"upgrade_{service.replace('-', '_')}")
        old = ServiceCode(service, previous, url, tmp_path)
        new = ServiceCode(service, None, url, tmp_path)
        UPGRADES[service](old, new)


# --- expand, never contract, within a release ----------------------------------------------------

_CONTRACTING = {"drop_table", "drop_column", "rename_table", "drop_constraint", "drop_index"}


def _contracting_calls(path: Path) -> list[str]:
    """What a migration's ``upgrade()`` does that the previous release's code could trip over."""
    tree = ast.parse(path.read_text())
    upgrade = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "upgrade")
    found = []
    for node in ast.walk(upgrade):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        keywords = {k.arg: k.value for k in node.keywords}
        if name in _CONTRACTING:
            found.append(f"{name} (line {node.lineno})")
        elif name == "alter_column" and ("new_column_name" in keywords or _is_false(keywords.get("nullable"))):
            found.append(f"alter_column renaming or forbidding NULL (line {node.lineno})")
        elif name == "add_column" and _adds_required_column(node):
            found.append(f"add_column NOT NULL without a server default (line {node.lineno})")
    return found


def _is_false(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Constant) and value.value is False


def _adds_required_column(call: ast.Call) -> bool:
    # op.add_column("table", sa.Column("name", type, nullable=False)): the old code's INSERTs omit it.
    for arg in call.args:
        if isinstance(arg, ast.Call):
            keywords = {k.arg: k.value for k in arg.keywords}
            if _is_false(keywords.get("nullable")) and "server_default" not in keywords:
                return True
    return False


@pytest.mark.parametrize("service", sorted(UPGRADES) + ["monitoring", "notifications", "gateway"])
def test_this_releases_migrations_only_expand(service):
    for relative in migrations_since_previous(service):
        assert _contracting_calls(ROOT / relative) == [], (
            f"{relative} contracts the schema the previous release still runs on; split it: expand now, "
            "contract in the next release (docs/operations.md, Rolling upgrades)")


def test_the_expand_check_names_what_would_break_the_previous_release(tmp_path):
    migration = tmp_path / "0099_example.py"
    migration.write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        "def upgrade():\n"
        "    op.create_table('kept', sa.Column('id', sa.Integer(), primary_key=True))\n"
        "    op.add_column('rounds', sa.Column('note', sa.Text(), nullable=True))\n"
        "    op.add_column('rounds', sa.Column('flag', sa.Boolean(), nullable=False, server_default='0'))\n"
        "    op.create_index('ix_kept', 'kept', ['id'])\n"
        "    op.drop_column('rounds', 'title')\n"
        "    op.add_column('rounds', sa.Column('owner', sa.Text(), nullable=False))\n"
        "    op.alter_column('rounds', 'ceiling', new_column_name='cap')\n\n"
        "def downgrade():\n"
        "    op.drop_table('kept')\n")
    assert _contracting_calls(migration) == [
        "drop_column (line 9)", "add_column NOT NULL without a server default (line 10)",
        "alter_column renaming or forbidding NULL (line 11)"]
