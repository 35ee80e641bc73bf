"""The public list of rounds whose results are published: how anyone finds a round's results page.
It names only closed rounds whose results the secretariat published, and no person."""

from __future__ import annotations

URL = "/api/v1/screening/published-rounds"  # ``budget`` (conftest): FY 2565 approved, FY 2564 open


async def test_only_closed_and_published_rounds_are_listed_and_no_one_is_named(client, budget):
    assert (await client.get(URL, params={"plan_id": "plan-dgdp"})).json()["items"] == []  # approved, not yet closed
    await budget.close(2565)
    listed = (await client.get(URL, params={"plan_id": "plan-dgdp"})).json()["items"]
    assert [(r["round_id"], r["fiscal_year"], r["status"], r["published"]) for r in listed] == [
        (budget.rounds[2565], 2565, "closed", True)]
    assert listed[0]["title"] == "ปีงบประมาณ 2565" and listed[0]["ceiling"] == "60000000.00"
    assert not {"opened_by", "package_submitted_at", "version"} & set(listed[0])
    assert (await client.get(URL, params={"plan_id": "another-plan"})).json()["items"] == []


async def test_a_round_closed_without_publishing_is_not_listed(client, budget):
    await budget.close(2565, publish=False)
    assert (await client.get(URL)).json()["items"] == []
