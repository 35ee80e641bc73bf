"""The plan registry's cost against the number of projects in a plan (issue 15).

One uvicorn process serves the plan registry: on PostgreSQL when DGPLAN_TEST_POSTGRES_URL is set
(a fresh database, migrated and seeded, dropped at the end), else on SQLite in a temporary
directory. The secretariat revises the seed plan into a draft; then agencies register projects
into it through the API (``POST /api/v1/projects``, each agency naming itself lead, spread over the
draft's work plans, measures and strategies) at a few concurrent connections, up to the largest
size. At each size (by default 100, 1,000 and 10,000 projects) it reports:

(On PostgreSQL the database is vacuumed and analyzed, unmeasured, before each measurement, as
autovacuum keeps it in service: its insert threshold, 1,000 rows, would otherwise fall inside one.)

- the registration rate: projects per second over a window of the registrations that reach the
  size (the last ``window`` of them, at most half of them: the first ones warm up), with the
  registry process's CPU per registration (less swayed by other load on the machine);
- the first page of the project list (``GET /api/v1/projects?version=latest`` as the secretariat,
  50 projects) and of the draft's node list (``GET .../versions/{id}/nodes``, 100 nodes): p50 and
  p95 of ``samples`` GETs of each (the two pages in turn, one GET at a time), with no registration
  under way, and the registry's CPU per GET;

and the ratio max/min over the sizes of the registration rate and of each page's p50 (target:
within a factor of 1.5), and of the CPU figures (for reference: on a loaded machine they say
more). Every answer's status is checked (201 for a registration, 200 with a full page for a list).

Run: .venv/bin/python bench/registry_growth.py [--sizes 100,1000,10000] [--samples 30]
[--connections 4] [--window 200] [--max-seconds 540]
Bounded in time (registration stops at --max-seconds; sizes not reached are reported as such);
127.0.0.1 only; stops the server it started. Writes bench/results/registry_growth.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench import registry_server  # noqa: E402
from bench.common import cpu_seconds, drop_database, percentile, stop_process, table, write_result  # noqa: E402
from dgplan_shared.testing.infra import free_port  # noqa: E402

SEED_CODE = "DGDP-2563-2565"
TARGET_RATIO = 1.5  # issue 15: the cost at 10,000 projects within a factor of 1.5 of that at 100
PARENT_TYPES = ("work_plan", "measure", "strategy")  # where a project may hang
AGENCIES = ("MDES", "DGA", "MOF", "OAE")  # four of the seed's agencies (any it lacks are skipped)


NOTES = [(
    "One registry process (uvicorn) on the backend named in the first rows; the load generator is this "
    "process (aiohttp) on the same machine. On PostgreSQL the database is vacuumed and analyzed before each "
    "measurement (as autovacuum keeps it; its 1,000-row insert threshold falls on a size). Projects are registered through POST /api/v1/projects by "
    "agencies naming themselves lead, spread over the draft's work plans, measures and strategies. A rate "
    "is measured over the last registrations before a size is reached (no list is read meanwhile); the "
    "page times are taken at that size with nothing else under way. On a shared, loaded machine read the "
    "ratios and the CPU per registration rather than the absolute figures."
)]


@dataclass(frozen=True)
class Params:
    sizes: tuple[int, ...] = (100, 1_000, 10_000)
    samples: int = 30  # GETs per page and size
    connections: int = 4
    window: int = 200  # registrations a rate is measured over (at most half of a size)
    max_seconds: float = 540.0  # of registering, whatever the sizes


@dataclass
class Step:
    size: int
    window: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the window's registrations, s
    pages: dict[str, list[float]] = field(default_factory=dict)  # page -> GET times, s
    page_cpu: float = 0.0  # registry CPU per page GET (both pages), s

    @property
    def rate(self) -> float:
        return self.window / self.seconds if self.seconds else 0.0


# --- the server under test ------------------------------------------------------------------------


async def _prepare(database_url: str) -> None:
    """Migrated and seeded (the seed plan, approved, with its agencies)."""
    from dgplan_shared.db.migrations import upgrade
    from dgplan_shared.service import build_runtime

    from plan_registry.commands import seed
    from plan_registry.definition import definition

    await asyncio.to_thread(upgrade, "plan_registry:migrations", database_url)
    runtime = build_runtime(definition(), registry_server.settings(database_url))
    try:
        await seed(runtime)
    finally:
        await runtime.db.dispose()


async def _create_database(server_url: str) -> str:
    from dgplan_shared.db.provisioning import create_postgres_database

    return await create_postgres_database(server_url, "registry_growth")


# --- the load -------------------------------------------------------------------------------------


def identity(roles: set[str], agency: str | None = None, bodies: frozenset[str] = frozenset()) -> dict[str, str]:
    from dgplan_contracts.assertion import IDENTITY_HEADER, sign_identity
    from dgplan_contracts.identity import Principal

    principal = Principal(f"bench-{agency or 'secretariat'}", frozenset(roles), agency=agency, bodies=bodies)
    return {IDENTITY_HEADER: sign_identity(principal, registry_server.SECRET, ttl_seconds=3600)}


class Registry:
    """The draft the projects go into, and who registers them."""

    def __init__(self, session, base: str) -> None:  # type: ignore[no-untyped-def]
        self.session, self.base = session, base
        self.secretariat = identity({"secretariat"}, bodies=frozenset({"dga-secretariat"}))
        self.plan_id = self.version_id = ""
        self.parents: list[str] = []
        self.agencies: list[dict[str, str]] = []  # (agency code, its headers)
        self.registered = 0

    async def _json(self, method: str, path: str, expect: int, **kwargs):  # type: ignore[no-untyped-def]
        async with self.session.request(method, self.base + path, **kwargs) as response:
            body = await response.json(content_type=None)
            if response.status != expect:
                raise RuntimeError(f"{method} {path}: {response.status} (expected {expect}) {body}")
            return body

    async def set_up(self) -> None:
        plans = await self._json("GET", "/api/v1/plans", 200, params={"q": SEED_CODE}, headers=self.secretariat)
        self.plan_id = plans["items"][0]["id"]
        draft = await self._json("POST", f"/api/v1/plans/{self.plan_id}/versions", 201, json={},
                                 headers=self.secretariat | {"Idempotency-Key": "bench-revise"})
        self.version_id = draft["id"]
        for node_type in PARENT_TYPES:
            page = await self._json("GET", self.nodes_path, 200, params={"node_type": node_type, "limit": 200},
                                    headers=self.secretariat)
            self.parents += [n["id"] for n in page["items"]]
        known = {a["code"] for a in (await self._json("GET", "/api/v1/agencies", 200, params={"limit": 200},
                                                      headers=self.secretariat))["items"]}
        codes = [a for a in AGENCIES if a in known] or sorted(known)[:4]
        self.agencies = [{"code": a, **identity({"agency"}, agency=a)} for a in codes]
        if not self.parents or not self.agencies:
            raise RuntimeError("the seed plan's draft has no parent for a project, or the registry no agency")

    @property
    def nodes_path(self) -> str:
        return f"/api/v1/plans/{self.plan_id}/versions/{self.version_id}/nodes"

    async def register(self, i: int) -> float:
        who = self.agencies[i % len(self.agencies)]
        agency = who["code"]
        headers = {k: v for k, v in who.items() if k != "code"} | {"Idempotency-Key": f"bench-project-{i}"}
        body = {
            "plan_id": self.plan_id, "parent_id": self.parents[i % len(self.parents)], "code": f"G-{i:06d}",
            "name": {"th": f"โครงการพัฒนาระบบบริการดิจิทัลภาครัฐ ลำดับที่ {i}", "en": f"Digital public service project {i}"},
            "roles": [{"agency": agency, "role": "lead"}], "start_fy": 2564, "end_fy": 2565,
        }
        started = time.perf_counter()
        async with self.session.post(self.base + "/api/v1/projects", json=body, headers=headers) as response:
            await response.read()
            if response.status != 201:
                raise RuntimeError(f"registration {i}: {response.status} {await response.text()}")
        return time.perf_counter() - started

    async def register_up_to(self, total: int, connections: int, deadline: float) -> list[float]:
        """Register until ``total`` projects are in (or the deadline passes); latencies in s."""
        latencies: list[float] = []

        async def worker() -> None:
            while self.registered < total and time.perf_counter() < deadline:
                i = self.registered
                self.registered += 1
                latencies.append(await self.register(i))

        await asyncio.gather(*(worker() for _ in range(connections)))
        return latencies

    def pages(self) -> dict[str, tuple[str, dict[str, str], int]]:
        """page name -> (path with query, headers, items a full page holds)."""
        return {
            "project list, 1st page": ("/api/v1/projects?version=latest", self.secretariat, 50),
            "draft's node list, 1st page": (self.nodes_path, self.secretariat, 100),
        }

    async def time_page(self, path: str, headers: dict[str, str], items: int) -> float:
        started = time.perf_counter()
        async with self.session.get(self.base + path, headers=headers) as response:
            body = await response.json(content_type=None)
            if response.status != 200 or len(body.get("items", [])) < min(items, self.registered):
                raise RuntimeError(f"GET {path}: {response.status}, {len(body.get('items', []))} items")
        return time.perf_counter() - started


async def settle(database_url: str) -> None:
    """PostgreSQL: VACUUM (ANALYZE) the database before a measurement, as autovacuum keeps it in
    service, so that autovacuum does not start in the middle of one (its insert threshold, 1,000
    rows, falls right on a size) and the planner has current statistics. Not measured."""
    if not database_url.startswith("postgresql"):
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                 database=url.database)
    try:
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()


async def measure(base: str, params: Params, server_pid: int, database_url: str = "") -> tuple[list[Step], int]:
    import aiohttp

    deadline = time.perf_counter() + params.max_seconds
    steps: list[Step] = []
    connector = aiohttp.TCPConnector(limit=params.connections + 1)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        registry = Registry(session, base)
        await registry.set_up()
        for size in sorted(params.sizes):
            window = max(1, min(params.window, size // 2, size - registry.registered))
            await registry.register_up_to(size - window, params.connections, deadline)
            await settle(database_url)
            step = Step(size)
            cpu, started, before = cpu_seconds(server_pid), time.perf_counter(), registry.registered
            step.latencies = await registry.register_up_to(size, params.connections, deadline)
            step.seconds, step.server_cpu = time.perf_counter() - started, cpu_seconds(server_pid) - cpu
            step.window = registry.registered - before
            if registry.registered < size:
                break  # out of time: this size and the larger ones are not reached
            await settle(database_url)
            pages = registry.pages()
            for name, (path, headers, items) in pages.items():
                await registry.time_page(path, headers, items)  # warm: the first read after writes
                step.pages[name] = []
            cpu = cpu_seconds(server_pid)
            for _ in range(params.samples):  # the pages in turn: a burst of other load weighs on both
                for name, (path, headers, items) in pages.items():
                    step.pages[name].append(await registry.time_page(path, headers, items))
            step.page_cpu = (cpu_seconds(server_pid) - cpu) / (params.samples * len(pages))
            steps.append(step)
    return steps, registry.registered


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def rows(steps: list[Step], params: Params, backend: str, load: float, registered: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = [
        {"metric": "backend", "value": backend, "unit": "", "target": "-", "meets": None},
        {"metric": "load average (1 min) at start (shared machine)", "value": round(load, 2),
         "unit": "", "target": "-", "meets": None},
        {"metric": "load average (1 min) at the end", "value": round(os.getloadavg()[0], 2), "unit": "",
         "target": "-", "meets": None},
        {"metric": f"projects registered through the API ({params.connections} connections)", "value": registered,
         "unit": "", "target": f"{max(params.sizes):,}", "meets": registered >= max(params.sizes)},
    ]
    for s in steps:
        out.append({"metric": f"registrations/s at {s.size:,} projects (last {s.window})", "value": round(s.rate, 1),
                    "unit": "proj/s", "target": "-", "meets": None})
        out.append({"metric": f"registration p50 / p95 at {s.size:,} projects", "unit": "ms", "target": "-",
                    "meets": None,
                    "value": f"{ms(percentile(s.latencies, 50))} / {ms(percentile(s.latencies, 95))}"})
        out.append({"metric": f"registry CPU per registration at {s.size:,}",
                    "value": round(s.server_cpu / s.window * 1000, 2) if s.window else 0.0, "unit": "ms",
                    "target": "-", "meets": None})
        out.append({"metric": f"registry CPU per page GET at {s.size:,}", "value": ms(s.page_cpu), "unit": "ms",
                    "target": "-", "meets": None})
        for name, samples in s.pages.items():
            out.append({"metric": f"{name} at {s.size:,} projects: p50", "value": ms(percentile(samples, 50)),
                        "unit": "ms", "target": "-", "meets": None})
            out.append({"metric": f"{name} at {s.size:,} projects: p95", "value": ms(percentile(samples, 95)),
                        "unit": "ms", "target": "-", "meets": None})
    reached = len(steps) == len(params.sizes)
    span = f"{min(params.sizes):,} to {max(params.sizes):,}"

    def ratio(metric: str, values: list[float], reference: bool = False) -> None:
        value = round(max(values) / min(values), 2) if values and min(values) > 0 else 0.0
        out.append({"metric": f"{metric} max/min, {span} projects", "value": value, "unit": "x",
                    "target": "-" if reference else f"<= {TARGET_RATIO}",
                    "meets": None if reference else reached and 0 < value <= TARGET_RATIO})

    ratio("registration rate", [s.rate for s in steps])
    for name in (steps[0].pages if steps else {}):
        ratio(f"{name} p50", [percentile(s.pages[name], 50) for s in steps])
    # For reference: what the registry itself spends, which other load on the machine sways less.
    ratio("CPU per registration", [s.server_cpu / s.window for s in steps if s.window], reference=True)
    ratio("CPU per page GET", [s.page_cpu for s in steps], reference=True)
    return out


def run(params: Params, server_url: str | None = None) -> tuple[list[Step], int, str]:
    """(steps, projects registered, backend): PostgreSQL on ``server_url`` (a fresh database,
    dropped after), else SQLite in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        if server_url:
            database_url, backend = asyncio.run(_create_database(server_url)), "PostgreSQL"
        else:
            database_url, backend = f"sqlite+aiosqlite:///{tmp}/plan-registry.db", "SQLite"
        try:
            asyncio.run(_prepare(database_url))
            port = free_port()
            server = registry_server.spawn(port, database_url)
            try:
                steps, registered = asyncio.run(measure(f"http://127.0.0.1:{port}", params, server.pid, database_url))
            finally:
                stop_process(server)
        finally:
            if server_url:
                asyncio.run(drop_database(server_url, database_url))
    return steps, registered, backend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in Params.sizes),
                        help="project counts to measure at, comma-separated")
    parser.add_argument("--samples", type=int, default=Params.samples, help="GETs per page and size")
    parser.add_argument("--connections", type=int, default=Params.connections)
    parser.add_argument("--window", type=int, default=Params.window, help="registrations a rate is measured over")
    parser.add_argument("--max-seconds", type=float, default=Params.max_seconds, help="of registering, at most")
    parser.add_argument("--results-dir", default="", help="where the JSON goes (default bench/results)")
    args = parser.parse_args()
    os.environ.setdefault("DGPLAN_LOG_LEVEL", "WARNING")
    sizes = tuple(sorted({int(s) for s in args.sizes.split(",") if s.strip()}))
    if not sizes or min(sizes) < 2:
        parser.error("--sizes: project counts of 2 or more")
    params = Params(sizes=sizes, samples=max(1, args.samples), connections=max(1, args.connections),
                    window=max(1, args.window), max_seconds=args.max_seconds)
    load = os.getloadavg()[0]
    steps, registered, backend = run(params, os.environ.get("DGPLAN_TEST_POSTGRES_URL") or None)
    result = rows(steps, params, backend, load, registered)
    print(table(result))
    if args.results_dir:
        common.RESULTS = Path(args.results_dir)
    print(f"\nwritten to {write_result('registry_growth', result, NOTES)}")


if __name__ == "__main__":
    main()
