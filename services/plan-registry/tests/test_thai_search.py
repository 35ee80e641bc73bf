"""``q`` finds by substring (what the user sees) or by all of its newmm words (typed apart or
reordered), and ``sort=relevance`` puts substring matches first (docs/benchmarks.md, Thai search)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from importlib import resources

import pytest
from sqlalchemy import insert, select, text

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, upgrade
from dgplan_shared.text import search_key

from plan_registry.adapters.tables import nodes, plan_versions, plans
from plan_registry.definition import definition
from plan_registry.domain.search_text import PRECOMPUTED_FILE, _precomputed, name_tokens, segment

# "ทํา" as some keyboards and PDF copy type it: NIKHAHIT + SARA AA, not SARA AM.
TAM_SPLIT = "\u0e17\u0e4d\u0e32"
PLAN = {"code": "P-SEARCH", "title": {"th": "แผนทดสอบการค้นหา", "en": "Search test plan"}, "start_fy": 2563, "end_fy": 2565}
FARMERS_DB = "การพัฒนาระบบฐานข้อมูลเกษตรกร"  # the seed's S1-P4


def codes(page: dict) -> list[str]:  # type: ignore[type-arg]
    return [n["code"] for n in page["items"]]


@pytest.fixture
async def plan(client, secretariat, idem):  # type: ignore[no-untyped-def]
    created = (await client.post("/api/v1/plans", json=PLAN, headers=secretariat | idem())).json()
    base = f"/api/v1/plans/{created['id']}/versions/{created['latest_version_id']}/nodes"
    strategy = (await client.post(base, json={"node_type": "strategy", "code": "S1", "name": {"th": "ยุทธศาสตร์", "en": "S"}},
                                  headers=secretariat | idem())).json()

    async def project(code: str, th: str, en: str = "x") -> dict:  # type: ignore[type-arg]
        body = {"plan_id": created["id"], "parent_id": strategy["id"], "code": code, "name": {"th": th, "en": en}}
        response = await client.post("/api/v1/projects", json=body, headers=secretariat | idem())
        assert response.status_code == 201, response.text
        return response.json()

    return created, base, project


async def test_words_typed_apart_or_reordered_find_the_farmers_database(client, seeded):
    query = "เกษตรกร ฐานข้อมูล"
    assert search_key(query) not in FARMERS_DB  # the substring alone misses it
    found = (await client.get("/api/v1/projects", params={"q": query})).json()
    assert codes(found) == ["S1-P4"]
    apart = (await client.get("/api/v1/projects", params={"q": "ฐานข้อมูล เกษตรกร"})).json()
    assert codes(apart) == ["S1-P4"]
    nodes_page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/nodes",
                                   params={"q": query})).json()
    assert codes(nodes_page) == ["S1-P4"]


async def test_partial_words_and_words_inside_compounds_are_still_found_by_substring(client, seeded):
    # เกษตร lies inside newmm's word เกษตรกร and แพลต is half of แพลตฟอร์ม: tokens alone find neither.
    assert "S1-P4" in codes((await client.get("/api/v1/projects", params={"q": "เกษตร"})).json())
    platforms = (await client.get("/api/v1/projects", params={"q": "แพลต"})).json()
    assert platforms["items"] and all("แพลต" in p["name"]["th"] for p in platforms["items"])


async def test_either_spelling_of_sara_am_finds_by_words_too(client, plan, secretariat):
    created, _, project = plan
    await project("P-TAM", f"ศูนย์ข้อมูลการ{TAM_SPLIT}งานภาครัฐ")
    for term in (f"การ{TAM_SPLIT}งาน ศูนย์ข้อมูล", "การทำงาน ศูนย์ข้อมูล", f"ข้อมูลการ{TAM_SPLIT}งาน"):
        found = (await client.get("/api/v1/projects", params={"version": "latest", "q": term}, headers=secretariat)).json()
        assert codes(found) == ["P-TAM"], term


async def test_relevance_puts_the_substring_match_first_and_pages_with_a_cursor(client, plan, secretariat):
    created, base, project = plan
    # P-A holds both words apart (found by words only); P-B holds the query as typed.
    await project("P-A", "ระบบเกษตรกรและฐานข้อมูลกลาง")
    await project("P-B", "ฐานข้อมูลเกษตรกรแห่งชาติ")
    await project("P-C", "ศูนย์ฐานข้อมูลเกษตรกร")
    await project("P-D", "ระบบติดตามน้ำ")
    q = {"version": "latest", "q": "ฐานข้อมูลเกษตรกร"}
    default = (await client.get("/api/v1/projects", params=q, headers=secretariat)).json()
    assert codes(default) == ["P-B", "P-C", "P-A"]  # substring first, earlier match first; then words only
    by_relevance = (await client.get("/api/v1/projects", params={**q, "sort": "relevance"}, headers=secretariat)).json()
    assert codes(by_relevance) == codes(default)
    assert codes((await client.get("/api/v1/projects", params={**q, "sort": "code"}, headers=secretariat)).json()) == ["P-A", "P-B", "P-C"]
    seen, page = [], (await client.get(base, params={"q": q["q"], "limit": 1}, headers=secretariat)).json()
    seen += codes(page)
    while page["next_cursor"]:
        page = (await client.get(base, params={"q": q["q"], "limit": 1, "cursor": page["next_cursor"]},
                                 headers=secretariat)).json()
        seen += codes(page)
    assert seen == ["P-B", "P-C", "P-A"]
    # A cursor of another order is refused, not misread.
    by_code = (await client.get(base, params={"q": q["q"], "limit": 1, "sort": "code"}, headers=secretariat)).json()
    refused = await client.get(base, params={"q": q["q"], "cursor": by_code["next_cursor"]}, headers=secretariat)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "cursor"
    # Without q there is nothing to weigh: relevance is the code order.
    plain = (await client.get(base, params={"sort": "relevance", "node_type": "project"}, headers=secretariat)).json()
    assert codes(plain) == ["P-A", "P-B", "P-C", "P-D"]
    # A q with no word in it (punctuation) is a substring search only, still ordered by relevance.
    punctuation = await client.get(base, params={"q": "--", "sort": "relevance"}, headers=secretariat)
    assert punctuation.status_code == 200, punctuation.text
    unknown = await client.get(base, params={"sort": "-relevance"}, headers=secretariat)
    assert unknown.status_code == 422 and unknown.headers["content-type"].startswith("application/problem+json")


async def test_the_token_column_follows_every_name_write(client, plan, secretariat, db):
    created, base, project = plan
    made = await project("P-EDIT", "ระบบติดตามน้ำ", "Water tracking")

    async def stored(node_id: str) -> str:
        async with db.session() as session:
            return await session.scalar(select(nodes.c.name_tokens).where(
                nodes.c.version_id == created["latest_version_id"], nodes.c.node_id == node_id))

    assert await stored(made["id"]) == name_tokens("ระบบติดตามน้ำ", "Water tracking") != ""
    path = f"/api/v1/projects/{made['id']}"
    etag = (await client.get(path, headers=secretariat)).headers["etag"]
    changed = await client.patch(path, json={"name": {"th": "ฐานข้อมูลเกษตรกร", "en": "Farmers"}},
                                 headers=secretariat | {"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert await stored(made["id"]) == "ฐานข้อมูล เกษตรกร farmers"
    found = (await client.get("/api/v1/projects", params={"version": "latest", "q": "เกษตรกร ฐานข้อมูล"}, headers=secretariat)).json()
    assert codes(found) == ["P-EDIT"]
    # The plan's title is its root node's name: renaming the plan rewrites the root's words too.
    plan_path = f"/api/v1/plans/{created['id']}"
    etag = (await client.get(plan_path, headers=secretariat)).headers["etag"]
    renamed = await client.patch(plan_path, json={"title": {"th": "แผนพัฒนาดิจิทัลภาครัฐ", "en": "Digital plan"}},
                                 headers=secretariat | {"If-Match": etag})
    assert renamed.status_code == 200, renamed.text
    assert await stored(created["id"]) == "แผน พัฒนา ดิจิทัล ภาครัฐ digital plan"


async def test_the_seed_and_a_revision_write_the_words_of_every_name(client, seeded, secretariat, db):
    revised = await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={},
                                headers=secretariat | {"Idempotency-Key": "revise-for-words"})
    assert revised.status_code == 201, revised.text
    async with db.session() as session:
        rows = (await session.execute(select(nodes.c.version_id, nodes.c.name_th, nodes.c.name_en, nodes.c.name_tokens))).all()
    assert {r.version_id for r in rows} == {seeded["approved_version_id"], revised.json()["id"]}
    assert all(r.name_tokens == name_tokens(r.name_th, r.name_en) != "" for r in rows)


async def test_the_migration_fills_the_words_of_existing_rows(fresh_database_url, backend):
    url = await fresh_database_url()
    await asyncio.to_thread(downgrade, definition().migrations, url, "0006")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(plans).values(id="p", code="P", title_th="แผน", title_en="P", start_fy=2563,
                                                    end_fy=2565, latest_version_id="v", created_at=now))
            await conn.execute(insert(plan_versions).values(id="v", plan_id="p", number=1, status="draft", created_at=now))
            # More rows than one batch of the migration, so that its keyset batches are walked.
            await conn.execute(insert(nodes), [
                {"version_id": "v", "node_id": f"n{i:04d}", "node_type": "strategy", "code": f"S{i}", "position": i,
                 "name_th": FARMERS_DB, "name_en": f"Farmers {i}", "attributes": "{}"} for i in range(1, 1203)])
        await asyncio.to_thread(upgrade, definition().migrations, url)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(nodes.c.node_id, nodes.c.name_tokens))).all()
            indexes = set()
            if backend == "postgres":
                indexes = set((await conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'nodes'"))).scalars())
                words = await conn.scalar(text(
                    "SELECT count(*) FROM nodes WHERE to_tsvector('simple', name_tokens) @@ plainto_tsquery('simple', :q)"),
                    {"q": "เกษตรกร ฐานข้อมูล"})
                assert words == 1202
    finally:
        await engine.dispose()
    assert len(rows) == 1202
    assert all(r.name_tokens == f"การพัฒนา ระบบ ฐานข้อมูล เกษตรกร farmers {int(r.node_id[1:])}" for r in rows)
    if backend == "postgres":
        assert {"ix_nodes_name_tokens_tsv", "ix_nodes_name_th_trgm", "ix_nodes_name_en_trgm", "ix_nodes_code_trgm"} <= indexes


async def test_the_openapi_documents_relevance(client):
    openapi = (await client.get("/openapi.json")).json()
    for path in ("/api/v1/projects", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes"):
        sort = next(p for p in openapi["paths"][path]["get"]["parameters"] if p["name"] == "sort")
        assert "relevance" in json.dumps(sort["schema"]), path


def test_the_seeds_precomputed_words_are_newmms_and_cover_every_seed_name():
    """The table that spares seeding newmm's dictionary load must say what newmm says."""
    document = json.loads(resources.files("plan_registry.seed").joinpath("plan-2563-2565.json").read_text("utf-8"))
    names = {search_key(n["name"][lang]) for v in document["versions"] for n in v["nodes"] for lang in ("th", "en")}
    table = _precomputed()
    assert set(table) == names, f"rerun tools/build_name_tokens.py ({PRECOMPUTED_FILE})"
    assert {key: segment(key) for key in table} == table
