"""The plan registry served by a uvicorn process of its own for a benchmark: identities signed with
``SECRET`` (what the gateway would forward), the in-memory bus, uvloop and httptools as in
production. ``spawn`` starts it on 127.0.0.1 and waits for its port; the caller stops it.

Run alone (what ``spawn`` does): python bench/registry_server.py --port N --database-url URL
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dgplan_shared.testing.infra import wait_for_port  # noqa: E402

SECRET = "bench-only-internal-secret-0123456789abcdef"


def settings(database_url: str):  # type: ignore[no-untyped-def]
    from plan_registry.settings import Settings

    return Settings(database_url=database_url, internal_auth_secret=SECRET, bus="memory", log_level="WARNING")


def serve(port: int, database_url: str) -> None:
    import uvicorn

    from dgplan_shared.service import create_service_app
    from plan_registry.definition import definition

    app = create_service_app(definition(), settings(database_url))
    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", access_log=False,
                log_level="warning")


def spawn(port: int, database_url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "--port", str(port), "--database-url", database_url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    wait_for_port(port, 60, process)
    return process


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    serve(args.port, args.database_url)
