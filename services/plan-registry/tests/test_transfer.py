"""Whole-plan JSON export/import (byte-identical round trip) and the open-data package."""

import csv
import io
import json
import zipfile

from dgplan_shared.db.engine import Database
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client

from plan_registry.definition import definition


async def _export(client, plan_id, headers):  # type: ignore[no-untyped-def]
    response = await client.get(f"/api/v1/plans/{plan_id}/export", headers=headers)
    assert response.status_code == 200
    return response.content


async def test_export_import_export_is_byte_identical_with_revisions_and_observations(
    client, seeded, secretariat, idem, fresh_database_url, settings, bus
):
    plan_id = seeded["id"]
    v2 = (await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())).json()
    await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/observations",
                      json={"raised_by_body": "nesdc", "text": {"th": "ข้อสังเกต", "en": "Note"}}, headers=secretariat | idem())
    first = await _export(client, plan_id, secretariat)
    document = json.loads(first)
    assert [v["number"] for v in document["versions"]] == [1, 2]
    assert first == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"

    other = settings.model_copy(update={"database_url": await fresh_database_url()})
    database = Database.from_url(other.database_url)
    try:
        app = create_service_app(definition(), other, db=database, bus=bus)
        async with asgi_client(app) as elsewhere:
            imported = await elsewhere.post("/api/v1/plans/import", content=first, headers=secretariat | idem() | {"content-type": "application/json"})
            assert imported.status_code == 201, imported.text
            assert await _export(elsewhere, plan_id, secretariat) == first
            again = await elsewhere.post("/api/v1/plans/import", content=first, headers=secretariat | idem() | {"content-type": "application/json"})
            assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
            assert await _export(elsewhere, plan_id, secretariat) == first
            changed = json.loads(first)
            changed["plan"]["title"]["en"] = "Something else"
            refused = await elsewhere.post("/api/v1/plans/import", json=changed, headers=secretariat | idem())
            assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "plan.code"
    finally:
        await database.dispose()


async def test_import_validates_like_the_api(client, seeded, secretariat, idem):
    document = json.loads(await _export(client, seeded["id"], secretariat))
    document["plan"].update(code="COPY", id="copy-plan", latest_version_id="copy-v1", approved_version_id="copy-v1")
    document["versions"][0]["id"] = "copy-v1"
    document["observations"] = []
    for node in document["versions"][0]["nodes"]:
        if node["node_type"] == "plan":
            node["id"] = "copy-plan"
    money = json.loads(json.dumps(document))
    money["versions"][0]["nodes"][0]["budget_framework"] = 6504690000.0
    response = await client.post("/api/v1/plans/import", json=money, headers=secretariat | idem())
    assert response.status_code == 422 and "budget_framework" in response.json()["errors"][0]["field"]
    backwards = json.loads(json.dumps(document))
    backwards["plan"]["end_fy"] = 2500
    response = await client.post("/api/v1/plans/import", json=backwards, headers=secretariat | idem())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "plan.end_fy"
    orphan = json.loads(json.dumps(document))
    orphan["plan"]["predecessor_plan_id"] = "no-such-plan"  # continuing a plan that does not exist
    response = await client.post("/api/v1/plans/import", json=orphan, headers=secretariat | idem())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "predecessor_plan_id"
    assert (await client.get("/api/v1/plans/copy-plan", headers=secretariat)).status_code == 404  # nothing written
    response = await client.post("/api/v1/plans/import", json=document, headers=secretariat | idem())
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "versions.nodes.id"
    renamed = {}
    for node in document["versions"][0]["nodes"]:
        if node["node_type"] != "plan":
            renamed[node["id"]] = "copy-" + node["id"]
    text = json.dumps(document)
    for old, new in renamed.items():
        text = text.replace(old, new)
    response = await client.post("/api/v1/plans/import", content=text, headers=secretariat | idem() | {"content-type": "application/json"})
    assert response.status_code == 201, response.text
    copies = (await client.get("/api/v1/projects", params={"q": "เกษตรกร"})).json()["items"]
    assert sorted(p["plan_id"] for p in copies) == sorted(["copy-plan", seeded["id"]])
    assert (await client.post("/api/v1/plans/import", json=document, headers=identity_free())).status_code == 401


def identity_free() -> dict[str, str]:
    return {"Idempotency-Key": "anon"}


async def test_open_data_is_a_data_package_of_csv_files(client, seeded):
    response = await client.get(f"/api/v1/plans/{seeded['id']}/export/open-data")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert {r["path"] for r in package["resources"]} == {"nodes.csv", "roles.csv", "links.csv", "agencies.csv"}
    for resource in package["resources"]:
        rows = list(csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8"))))
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode("utf-8"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        if resource["name"] == "nodes":
            strategies = {r["code"]: r["budget_framework_baht"] for r in rows if r["node_type"] == "strategy"}
            assert strategies == {"S1": "4879870000.00", "S2": "518460000.00", "S3": "946360000.00", "S4": "160000000.00"}
            assert "การพัฒนาระบบฐานข้อมูลเกษตรกร" in {r["name_th"] for r in rows}
        if resource["name"] == "agencies":
            assert len(rows) == 8
