"""Browser tests of the console: Debian's Chromium driven by Playwright, against ``make run``'s
embedded suite served by uvicorn on 127.0.0.1 in a child process (its own data directory)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from dgplan_shared.net import free_port

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "var" / "console-screenshots"
AXE = REPO / "services" / "console" / "node_modules" / "axe-core" / "axe.min.js"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


def _missing(what: str) -> None:
    """In CI a missing browser is a failure, never a skip (scripts/system-deps.sh installs it)."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is missing: run `make system-deps` / `make install`", pytrace=False)
    pytest.skip(f"{what} is missing: run `make system-deps` / `make install`")


def _read_pairs(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split(" ", 1) for line in lines if line and not line.startswith("#"))


@dataclass(frozen=True)
class Suite:
    base_url: str
    data_dir: Path
    people: dict[str, str]
    clients: dict[str, str]

    def client_token(self, client_id: str) -> str:
        answer = httpx.post(
            f"{self.base_url}/oauth2/token", data={"grant_type": "client_credentials"},
            auth=(client_id, self.clients[client_id]), timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["access_token"]


@pytest.fixture(scope="session")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    data_dir = tmp_path_factory.mktemp("console-suite")
    port = free_port()
    env = {**os.environ, "DGPLAN_DATA_DIR": str(data_dir), "DGPLAN_PORT": str(port), "DGPLAN_HOST": "127.0.0.1"}
    env.pop("GATEWAY_PUBLIC_BASE_URL", None)
    log = (data_dir / "suite.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "dgplan_shared.embedded"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=data_dir)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError("the embedded suite exited:\n" + (data_dir / "suite.log").read_text()[-3000:])
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200 and (data_dir / "demo-people.txt").exists():
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the embedded suite did not become ready in 120 s")
            time.sleep(0.3)
        yield Suite(base, data_dir, _read_pairs(data_dir / "demo-people.txt"),
                    _read_pairs(data_dir / "demo-clients.txt"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# Module scope, not session: the sync Playwright API keeps an event loop running in this thread while
# it is open, and the asyncio tests collected after the browser tests need the thread's loop free.
@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _missing("Debian's chromium")
    if not AXE.exists():
        _missing("node_modules/axe-core (npm install)")
    from playwright.sync_api import sync_playwright  # imported here: the fast tests need no browser stack

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium_browser):  # type: ignore[no-untyped-def]
    # bypass_csp: axe-core is injected as an inline script, which the console's CSP rightly refuses.
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Serious and critical WCAG 2.1 A/AA violations found by axe-core on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    found = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    # axe leaves contrast it cannot compute "incomplete" (a white-on-white button once hid there): only
    # text inside an SVG image (the chart, whose figures are also in a table) may stay unjudged.
    for v in result["incomplete"]:
        if v["id"] == "color-contrast":
            unjudged = [n["target"] for n in v["nodes"]
                        if not any(c.get("data", {}).get("messageKey") == "imgNode" for c in n["any"])]
            if unjudged:
                found.append({"id": "color-contrast (incomplete)", "impact": "serious", "nodes": unjudged[:5]})
    return found


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
