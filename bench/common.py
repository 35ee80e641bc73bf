"""What every benchmark shares: percentiles, the machine's description, the results file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sample."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), int(round(p / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_result(name: str, rows: list[dict[str, object]], notes: list[str] | None = None) -> Path:
    """rows: dicts with at least metric, value, unit, target, meets (bool or None); notes: how to
    read them (docs/benchmarks.md shows them under the table)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    data: dict[str, object] = {"machine": machine(), "rows": rows}
    if notes:
        data["notes"] = notes
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def table(rows: list[dict[str, object]]) -> str:
    header = f"{'metric':<58} {'value':>12} {'unit':<8} {'target':<16} ok"
    lines = [header, "-" * len(header)]
    for r in rows:
        value = r["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        ok = {True: "yes", False: "NO", None: "-"}[r.get("meets")]  # type: ignore[index]
        lines.append(f"{r['metric']:<58} {shown:>12} {r.get('unit', ''):<8} {r.get('target', ''):<16} {ok}")
    return "\n".join(lines)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc): a figure other load on the
    machine does not skew as it skews wall-clock throughput."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # after the name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drop_database(server_url: str, url: str) -> None:
    """DROP a benchmark's database (its connections cut) on the server it was made on."""
    import asyncpg
    from sqlalchemy.engine import make_url

    server, name = make_url(server_url), make_url(url).database
    conn = await asyncpg.connect(user=server.username, password=server.password, host=server.host, port=server.port,
                                 database=server.database or "postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def stop_process(process: subprocess.Popen) -> None:
    """End a server this benchmark started: SIGTERM, then SIGKILL if it has not gone in 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
