"""Issue 16 item 15: the open-data package declares keys, references and constraints, and
``frictionless validate`` finds it valid; a broken reference is reported."""

import asyncio
import csv
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

FRICTIONLESS = shutil.which("frictionless") or str(Path(sys.executable).with_name("frictionless"))


async def _validate(directory: Path) -> dict:
    process = await asyncio.create_subprocess_exec(
        FRICTIONLESS, "validate", "--json", "datapackage.json", cwd=directory,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert out, err.decode()
    return json.loads(out)


def _errors(report: dict) -> list[str]:
    return [e["type"] for task in report["tasks"] for e in task["errors"]]


async def _package(client, plan_id: str, directory: Path, headers=None, version_id=None) -> Path:  # type: ignore[no-untyped-def]
    params = {"version_id": version_id} if version_id else {}
    response = await client.get(f"/api/v1/plans/{plan_id}/export/open-data", headers=headers or {}, params=params)
    assert response.status_code == 200
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(directory)
    return directory


async def test_the_seed_plans_package_is_valid_with_its_references_checked(client, seeded, tmp_path):
    directory = await _package(client, seeded["id"], tmp_path)
    package = json.loads((directory / "datapackage.json").read_text())
    roles = next(r for r in package["resources"] if r["name"] == "roles")
    assert {fk["reference"]["resource"] for fk in roles["schema"]["foreignKeys"]} == {"nodes", "agencies"}
    report = await _validate(directory)
    assert report["valid"] is True, _errors(report)
    assert _errors(report) == []


@pytest.mark.parametrize(("resource", "column", "value", "error"), [
    ("roles.csv", "agency_code", "NO-SUCH-AGENCY", "foreign-key"),
    ("nodes.csv", "parent_id", "no-such-node", "foreign-key"),
    ("roles.csv", "role", "owner", "constraint-error"),
    ("nodes.csv", "start_fy_be", "2026", "constraint-error"),
])
async def test_frictionless_reports_what_the_package_declares(client, seeded, tmp_path, resource, column, value, error):
    directory = await _package(client, seeded["id"], tmp_path)
    path = directory / resource
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # A row whose cell is set (a parent to break), or else the first row.
    target = next((row for row in rows if row[column]), rows[0])
    target[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    report = await _validate(directory)
    assert report["valid"] is False and error in _errors(report)


async def test_an_agencys_view_of_a_draft_keeps_its_references_inside_the_package(client, seeded, secretariat, identity, idem, tmp_path):
    plan_id = seeded["id"]
    v2 = (await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())).json()
    strategy = next(n for n in (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes",
                                                 params={"node_type": "strategy"}, headers=secretariat)).json()["items"])
    oae = identity("agency", agency="OAE", subject="oae-system")
    created = await client.post("/api/v1/projects", json={
        "plan_id": plan_id, "parent_id": strategy["id"], "code": "S1-P9", "name": {"th": "โครงการ", "en": "Project"},
        "roles": [{"agency": "OAE", "role": "lead"}]}, headers=oae | idem())
    assert created.status_code == 201, created.text
    directory = await _package(client, plan_id, tmp_path, headers=oae, version_id=v2["id"])
    nodes = (directory / "nodes.csv").read_text(encoding="utf-8")
    assert "S1-P9" in nodes
    report = await _validate(directory)
    assert report["valid"] is True, _errors(report)
