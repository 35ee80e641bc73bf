"""A replicated Kafka cluster on loopback for the fault suite: N KRaft nodes (each broker and
controller, a static voter set), the same jars as the single test broker, heaps pinned small.

Topics default to replication factor N (at most 3) with ``min.insync.replicas`` = factor − 1, as
production runs them (docs/operations.md), so an ``acks=all`` producer keeps going when one node —
the partition leader included — is SIGKILLed, and loses nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from dgplan_shared.net import free_port
from dgplan_shared.testing.infra import KafkaBroker, wait_for_port


@dataclass
class KafkaNode(KafkaBroker):
    """One node of a cluster; the cluster writes its configuration."""

    node_id: int = 1
    voters: str = ""
    replication: int = 1

    def _write_config(self) -> None:
        logs = self.base_dir / "data"
        factor = self.replication
        isr = max(1, factor - 1)
        self.properties.write_text("\n".join([
            "process.roles=broker,controller",
            f"node.id={self.node_id}",
            f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            f"controller.quorum.voters={self.voters}",
            f"log.dirs={logs}",
            "num.partitions=3",
            f"default.replication.factor={factor}",
            f"min.insync.replicas={isr}",
            f"offsets.topic.replication.factor={factor}",
            "offsets.topic.num.partitions=3",
            f"transaction.state.log.replication.factor={factor}",
            f"transaction.state.log.min.isr={isr}",
            "transaction.state.log.num.partitions=1",
            f"share.coordinator.state.topic.replication.factor={factor}",
            f"share.coordinator.state.topic.min.isr={isr}",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            "unclean.leader.election.enable=false",
            # A killed leader's partitions move within seconds, not the default 18 s session.
            "broker.session.timeout.ms=6000",
            "broker.heartbeat.interval.ms=1000",
            "replica.lag.time.max.ms=6000",
            "num.network.threads=2",
            "num.io.threads=2",
            "background.threads=2",
            "",
        ]))
        (self.base_dir / "log4j2.properties").write_text(
            "rootLogger.level=WARN\nrootLogger.appenderRef.f.ref=F\n"
            "appender.f.type=File\nappender.f.name=F\n"
            f"appender.f.fileName={self.base_dir / 'kafka.log'}\n"
            "appender.f.layout.type=PatternLayout\nappender.f.layout.pattern=%d %p %c: %m%n\n"
        )

    def format(self, cluster_id: str) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        subprocess.run([*self._java(), "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                        str(self.properties)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def launch(self) -> None:
        out = open(self.base_dir / "kafka.out", "ab")
        self.process = subprocess.Popen([*self._java(), "kafka.Kafka", str(self.properties)], stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        (self.base_dir / "kafka.pid").write_text(str(self.process.pid))

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class KafkaCluster:
    base_dir: Path
    size: int = 3
    heap: str = "384m"
    nodes: list[KafkaNode] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base_dir = Path(self.base_dir).resolve()
        ports = [(free_port(), free_port()) for _ in range(self.size)]
        voters = ",".join(f"{i + 1}@127.0.0.1:{c}" for i, (_, c) in enumerate(ports))
        self.nodes = [
            KafkaNode(self.base_dir / f"node{i + 1}", port=p, controller_port=c, heap=self.heap, node_id=i + 1,
                      voters=voters, replication=min(3, self.size))
            for i, (p, c) in enumerate(ports)
        ]

    @property
    def bootstrap(self) -> str:
        return ",".join(n.bootstrap for n in self.nodes)

    def node(self, node_id: int) -> KafkaNode:
        return self.nodes[node_id - 1]

    def start(self, timeout: float = 120) -> str:
        cluster_id = uuid.uuid4().hex[:22]
        for node in self.nodes:
            node.format(cluster_id)
        for node in self.nodes:  # all voters must be up for the quorum to form
            node.launch()
        for node in self.nodes:
            wait_for_port(node.port, timeout, node.process)
        return self.bootstrap

    def kill(self, node_id: int) -> None:
        """SIGKILL one node, as a crash would."""
        node = self.node(node_id)
        if node.process is not None and node.process.poll() is None:
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait(10)
        node.process = None

    def restart(self, node_id: int, timeout: float = 60) -> None:
        node = self.node(node_id)
        node.launch()
        wait_for_port(node.port, timeout, node.process)

    def stop(self) -> None:
        for node in self.nodes:
            if node.alive:
                node.stop()
        deadline = time.monotonic() + 5
        while any(n.alive for n in self.nodes) and time.monotonic() < deadline:
            time.sleep(0.1)
