"""What the OpenAPI document promises is what the API answers (models with extra fields forbidden)."""

from pydantic import ConfigDict

from plan_registry.api import responses as r


def _strict(model):  # type: ignore[no-untyped-def]
    return type("Strict" + model.__name__, (model,), {"model_config": ConfigDict(extra="forbid", populate_by_name=True)})


async def test_documented_shapes_match_real_answers(client, seeded, secretariat, idem):
    plan_id, v1 = seeded["id"], seeded["approved_version_id"]
    v2 = (await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())).json()
    checks = [
        (r.PlanOut, await client.get(f"/api/v1/plans/{plan_id}")),
        (r.Page[r.PlanOut], await client.get("/api/v1/plans")),
        (r.VersionOut, await client.get(f"/api/v1/plans/{plan_id}/versions/{v1}")),
        (r.Page[r.VersionOut], await client.get(f"/api/v1/plans/{plan_id}/versions", headers=secretariat)),
        (r.Page[r.NodeOut], await client.get(f"/api/v1/plans/{plan_id}/versions/{v1}/nodes")),
        (r.Page[r.NodeOut], await client.get("/api/v1/projects")),
        (r.CompletenessOut, await client.get(f"/api/v1/plans/{plan_id}/completeness")),
        (r.DiffOut, await client.get(f"/api/v1/plans/{plan_id}/diff", params={"from": v1, "to": v2["id"]}, headers=secretariat)),
        (r.Page[r.ObservationOut], await client.get("/api/v1/observations")),
        (r.Page[r.AgencyOut], await client.get("/api/v1/agencies")),
    ]
    for model, response in checks:
        assert response.status_code == 200, response.text
        body = response.json()
        if "items" in body:
            assert body["items"], model
            item_model = _strict(model.model_fields["items"].annotation.__args__[0])
            for item in body["items"]:
                item_model.model_validate(item)
        else:
            _strict(model).model_validate(body)
