"""The console as its own process in the distributed topology (real PostgreSQL and Kafka), driven
in Chromium only by clicking and typing at the topology's one public address: the gateway's, which
forwards the console's pages to the console process and answers ``/api/v1`` and the sign-in itself.

First the seed's whole approval path, the same steps as against ``make run``'s suite
(``test_console_approval_path``), here with every hop between the registry and the governance
engine crossing Kafka. Then the secretariat drafts the next version and submits it, and a committee
member finds it in the inbox, opens it and reads the plan page, while every request the browser
makes goes to the one address: the console's own port is never seen, and the sign-in's redirects
and cookies work there.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from dgplan_shared.topology import Topology

from tests.console import test_console_approval_path as approval_path
from tests.console.conftest import Suite, _read_pairs
from tests.console.test_console_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.kafka]


def _in_a_thread(work) -> None:  # type: ignore[no-untyped-def]
    """Run a coroutine to the end on its own loop: Playwright's sync API may already hold this
    thread's loop (the module's browser), and asyncio.run refuses a running loop."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture(scope="module")
def distributed(tmp_path_factory, postgres_server, kafka_bootstrap) -> Iterator[tuple[Suite, Topology]]:  # type: ignore[no-untyped-def]
    """The distributed topology with the console: every API, relay, consumer and daemon its own
    process; the demo people and clients from the gateway's setup."""
    base: Path = tmp_path_factory.mktemp("console-distributed")
    topology = Topology(base, postgres_server, kafka_bootstrap, topic_prefix=f"cd{uuid.uuid4().hex[:6]}-",
                        frontends=True)
    _in_a_thread(topology.prepare)
    topology.start()
    try:
        topology.wait_healthy(90)
        files = topology.demo_clients_file.parent
        yield Suite(topology.gateway_url, files, _read_pairs(files / "demo-people.txt"),
                    _read_pairs(files / "demo-clients.txt")), topology
    finally:
        topology.stop()


def _reload_until(page, check, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    """The approval starts once the submission has crossed Kafka: it shows on a reload."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not shown within {seconds} s on {page.url}:\n{page.locator('main').inner_text()}")
        time.sleep(0.5)
        page.reload()


def test_the_console_runs_as_its_own_process_behind_the_gateways_address(distributed) -> None:  # type: ignore[no-untyped-def]
    suite, topology = distributed
    assert {"console.api", "gateway.api"} <= set(topology.processes)
    assert topology.url("console") != suite.base_url
    assert "console.relay" not in topology.processes  # a front end publishes nothing
    home = httpx.get(suite.base_url + "/", timeout=10)
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert httpx.get(suite.base_url + "/api/v1/plans", timeout=10).status_code == 200  # still the gateway's
    # A page is not an API call: a bearer token (even a bad one) or a forged identity sent to the
    # console's paths signs nobody in; the console asks for its own sign-in.
    forged = httpx.get(suite.base_url + "/inbox", headers={"X-Dgplan-Identity": "forged", "Authorization": "Bearer x"},
                       timeout=10)
    assert forged.status_code == 303 and forged.headers["location"] == "/auth/signin?next=/inbox"


def test_the_seeds_approval_path_through_the_distributed_topology(distributed, chromium_browser, page) -> None:  # type: ignore[no-untyped-def]
    """Secretariat drafts and submits version 2; the committee votes; NESDC endorses with two
    observations; the secretariat answers both and submits version 3; the Cabinet approves; the
    public page shows version 3 in force — by clicking and typing, each step asserting what is seen."""
    suite, _topology = distributed
    approval_path.test_the_seeds_approval_path_by_clicking_and_typing(chromium_browser, suite, page)


def test_a_submitted_draft_reaches_the_committee_members_inbox_by_clicking(distributed, chromium_browser) -> None:  # type: ignore[no-untyped-def]
    suite, _topology = distributed
    origins: list[str] = []

    def person(username: str):  # type: ignore[no-untyped-def]
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("request", lambda request: origins.append(request.url))  # pages, redirects, font, stylesheet
        _sign_in(page, suite, username)
        page.wait_for_url(re.compile(r"/inbox$"))
        return context, page

    # After the approval path (version 3 in force), the secretariat drafts version 4 and submits it.
    context, page = person("secretariat")
    try:
        assert page.url == suite.base_url + "/inbox"
        page.get_by_role("navigation").get_by_role("link", name="งานจัดทำแผน").click()
        page.get_by_role("button", name="ยกร่างฉบับใหม่").click()
        page.wait_for_url(re.compile(r"/versions/[0-9a-f-]+\?drafted=1$"))
        page.get_by_role("button", name="เสนอฉบับที่ 4 ขอความเห็นชอบ").click()
        assert page.get_by_role("status").inner_text().startswith("เสนอฉบับที่ 4 ขอความเห็นชอบแล้ว")
    finally:
        context.close()

    # A committee member signs in, finds it in the inbox, opens it, and reads the plan page.
    context, page = person("dgc-member-1")
    try:
        assert page.get_by_role("heading", level=1).inner_text() == "เรื่องรอพิจารณา"
        assert "สมชาย ใจดี" in page.locator(".who").inner_text()
        rows = page.locator("table.inbox tbody tr").filter(has_text="ฉบับที่ 4")
        _reload_until(page, lambda: rows.count() == 1)
        assert "คณะกรรมการพัฒนารัฐบาลดิจิทัล" in rows.inner_text()
        rows.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/inbox/[0-9a-f-]+$"))
        assert "ลงมติแล้ว 0 จาก 3 คน" in page.locator("section.tally").inner_text()
        page.goto(suite.base_url + "/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย")
        assert page.locator("article.strategy").count() == 4
        # The Thai webfont and the stylesheet come from the console through the same address.
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.fonts.check('16px Sarabun', 'วิสัยทัศน์')")
    finally:
        context.close()

    public = urlsplit(suite.base_url)
    elsewhere = {u for u in origins if urlsplit(u)[:2] != public[:2]}
    assert origins and not elsewhere, f"the browser left the one public address: {sorted(elsewhere)[:5]}"
