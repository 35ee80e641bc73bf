"""The fault controller: SIGKILLs and restarts processes, the broker, and PostgreSQL at seeded moments.

Every managed process, the broker and PostgreSQL are each hit at least once (in a seeded order);
after that, seeded random processes (and the broker) are hit until the workload is done.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient

from dgplan_shared.testing.infra import KafkaBroker, PostgresCluster
from dgplan_shared.testing.kafka_cluster import KafkaCluster
from dgplan_shared.topology import Topology

BROKER = "kafka-broker"
POSTGRES = "postgresql"


async def _leaders(bootstrap: str, prefix: str) -> dict[int, int]:
    """How many partitions of the run's topics each node leads."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(prefix)]
        led: dict[int, int] = {}
        for described in await admin.describe_topics(topics):
            for partition in described["partitions"]:
                if partition["leader"] >= 0:
                    led[partition["leader"]] = led.get(partition["leader"], 0) + 1
        return led
    finally:
        await admin.close()


@dataclass
class PartitionLeader:
    """A replicated cluster as the controller's broker target: a strike SIGKILLs the node that
    leads the most partitions of the run's topics (where the relays are publishing and the
    consumers fetching), and the restart brings that node back. The other two keep the topics
    writable (replication factor 3, ``min.insync.replicas`` 2) and elect new leaders."""

    cluster: KafkaCluster
    topic_prefix: str
    killed: int | None = None
    struck: list[int] = field(default_factory=list)

    @property
    def process(self):  # type: ignore[no-untyped-def] - what the heal step checks, as for one broker
        return self.cluster.node(self.killed).process if self.killed else self.cluster.nodes[0].process

    def kill(self) -> None:
        led = asyncio.run(_leaders(self.cluster.bootstrap, self.topic_prefix))
        leader = max(led, key=lambda node: (led[node], -node)) if led else 1
        self.cluster.kill(leader)
        self.killed = leader
        self.struck.append(leader)

    def start(self) -> None:
        if self.killed is not None:
            self.cluster.restart(self.killed)
            self.killed = None

    def stop(self) -> None:
        self.cluster.stop()


@dataclass
class Fault:
    at: float  # seconds since the controller started
    target: str
    downtime: float


@dataclass
class FaultController:
    topology: Topology
    broker: KafkaBroker | PartitionLeader
    postgres: PostgresCluster
    rng: random.Random
    gap: tuple[float, float] = (1.0, 3.0)  # pause between two faults, seconds
    first_round_gap: tuple[float, float] = (0.5, 1.5)  # quicker, so the first round meets the load
    log: list[Fault] = field(default_factory=list)
    # Set once every target has been hit: the workload keeps loading the system until then.
    first_round_done: asyncio.Event = field(default_factory=asyncio.Event)

    def mandatory(self) -> list[str]:
        targets = sorted(self.topology.processes) + [BROKER, POSTGRES]
        self.rng.shuffle(targets)
        return targets

    async def run(self, workload_done: asyncio.Event, abort: asyncio.Event) -> None:
        """Until every target has been hit once and the workload is done (or ``abort``: the run
        failed; the fault under way is finished so nothing is left half down)."""
        started = time.monotonic()
        pending = self.mandatory()
        repeatable = sorted(self.topology.processes) + [BROKER]
        while (pending or not workload_done.is_set()) and not abort.is_set():
            gap = self.rng.uniform(*(self.first_round_gap if pending else self.gap))
            if pending:
                await asyncio.sleep(gap)
            else:
                try:
                    await asyncio.wait_for(workload_done.wait(), gap)
                    break
                except asyncio.TimeoutError:
                    pass
            if abort.is_set():
                break
            # After the first round the broker is hit less often: each restart stalls every
            # relay and consumer for seconds, which the first round has shown already.
            # A first-round target is always struck as drawn, including the last one of the round.
            mandatory = bool(pending)
            target = pending.pop() if mandatory else self.rng.choice(repeatable)
            if target == BROKER and not mandatory and self.rng.random() < 0.7:
                target = self.rng.choice(repeatable[:-1])
            downtime = self._downtime(target)
            self.log.append(Fault(round(time.monotonic() - started, 2), target, downtime))
            await asyncio.to_thread(self.strike, target, downtime)
            if not pending:
                self.first_round_done.set()
        self.first_round_done.set()

    def _downtime(self, target: str) -> float:
        if target == POSTGRES:
            return round(self.rng.uniform(2.0, 5.0), 2)
        if target == BROKER:
            return round(self.rng.uniform(1.0, 4.0), 2)
        return round(self.rng.uniform(0.1, 2.0), 2)

    def strike(self, target: str, downtime: float) -> None:
        if target == POSTGRES:
            self.postgres.stop("immediate")  # as a crash: no checkpoint, clients cut off
            time.sleep(downtime)
            self.postgres.start()
        elif target == BROKER:
            self.broker.kill()
            time.sleep(downtime)
            self.broker.start()
        else:
            managed = self.topology.processes[target]
            managed.kill()
            time.sleep(downtime)
            managed.restarts += 1
            managed.start()

    def hit(self) -> set[str]:
        return {f.target for f in self.log}

    def summary(self) -> str:
        return ", ".join(f"{f.at}s {f.target} ({f.downtime}s down)" for f in self.log)
