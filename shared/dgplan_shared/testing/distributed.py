"""``make distributed``: a private PostgreSQL cluster and Kafka broker, and the whole topology on them
(the console included, behind the gateway's address)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

from dgplan_shared.testing.infra import KafkaBroker, PostgresCluster
from dgplan_shared.topology import Topology


def main() -> None:
    base = Path(os.environ.get("DGPLAN_TOPOLOGY_DIR", ".infra/distributed")).resolve()
    pg, broker = PostgresCluster(base / "pg"), KafkaBroker(base / "kafka")
    server = pg.start()
    broker.start()
    # With the console as its own process: the gateway's address serves its pages too (as `make run`).
    # Two gateway replicas share that address (one listening socket) and their rate limits (in
    # PostgreSQL), as production runs them.
    topology = Topology(base / "run", server, broker.bootstrap, fixed_ports=True, log_level="INFO", frontends=True,
                        gateway_replicas=2)
    try:
        asyncio.run(topology.prepare())
        topology.start()
        topology.wait_healthy()
        print(f"\ndgplan distributed topology is up at {topology.gateway_url} (the console at /, the API at /api/v1)")
        print(f"  demo people and clients: {topology.demo_clients_file.parent}/demo-people.txt, demo-clients.txt")
        for name, managed in topology.processes.items():
            print(f"  {name:<28} pid {managed.process.pid if managed.process else '-'}")
        print(f"  PostgreSQL {server.rsplit('@', 1)[1]}  Kafka {broker.bootstrap}  logs {base / 'run' / 'logs'}")
        print("  Ctrl-C stops everything.", flush=True)
        stop = False

        def _stop(*_: object) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        while not stop:
            time.sleep(0.5)
    finally:
        topology.stop()
        broker.stop()
        pg.stop()


if __name__ == "__main__":
    main()
