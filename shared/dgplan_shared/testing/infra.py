"""Private PostgreSQL 15 cluster and single-node Kafka (KRaft) broker on loopback, without Docker.

Used by ``make test`` (``python -m dgplan_shared.testing.infra up|down``), by the local
distributed topology, and by the fault-injection tests that kill and restart the broker.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from dgplan_shared.net import free_port

REPO = Path(__file__).resolve().parents[3]
KAFKA_POM = REPO / "infra" / "kafka" / "pom.xml"
KAFKA_LIB = REPO / "infra" / "kafka" / "target" / "lib"


class InfraUnavailable(RuntimeError):
    """The binaries or downloads a real-infrastructure test needs are missing."""


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise InfraUnavailable(f"process exited with {process.returncode} before port {port} opened")
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise InfraUnavailable(f"port {port} did not open within {timeout}s")


# --------------------------------------------------------------------------- PostgreSQL


def pg_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if (Path(c) / "initdb").exists():
            return Path(c)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise InfraUnavailable("PostgreSQL server binaries not found (apt-get install postgresql)")


@dataclass
class PostgresCluster:
    base_dir: Path
    port: int = 0
    user: str = "dgplan"
    password: str = "dgplan"
    # Off by default: tests that never crash the server gain speed. A test that kills PostgreSQL
    # and then checks that every acknowledged commit survived needs them durable (as in production).
    durable_commits: bool = False

    def __post_init__(self) -> None:
        self.base_dir = Path(self.base_dir).resolve()  # the server chdirs into its data directory

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "pgdata"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{self.user}:{self.password}@127.0.0.1:{self.port}/postgres"

    def _as_owner(self) -> list[str]:
        # initdb refuses to run as root; run the server as the 'postgres' system user then.
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
        return ["runuser", "-u", "postgres", "--"]

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")]:
                os.chown(p, entry.pw_uid, entry.pw_gid)

    def start(self) -> str:
        bindir = pg_bindir()
        self.base_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base_dir, 0o755)
        self.port = self.port or free_port()
        prefix = self._as_owner()
        if not (self.data_dir / "PG_VERSION").exists():
            pwfile = self.base_dir / "pw"
            pwfile.write_text(self.password)
            self._chown(self.base_dir)
            subprocess.run(
                [*prefix, str(bindir / "initdb"), "-D", str(self.data_dir), "-U", self.user, "--pwfile", str(pwfile),
                 "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            pwfile.unlink()
        socket_dir = self.base_dir / "sock"
        socket_dir.mkdir(exist_ok=True)
        self._chown(socket_dir)
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={socket_dir} "
            f"-c fsync=off -c synchronous_commit={'on' if self.durable_commits else 'off'} -c full_page_writes=off "
            "-c max_connections=300 -c shared_buffers=128MB"
        )
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.base_dir / "pg.log"),
             "-o", options, "-w", "-t", "60", "start"],
            check=True, stdout=subprocess.DEVNULL,
        )
        return self.url

    def stop(self, mode: str = "fast") -> None:
        if not (self.data_dir / "postmaster.pid").exists():
            return
        subprocess.run(
            [*self._as_owner(), str(pg_bindir() / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop"],
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )


# --------------------------------------------------------------------------- Kafka


def kafka_classpath() -> str:
    if not KAFKA_LIB.exists() or not any(KAFKA_LIB.glob("kafka_2.13-*.jar")):
        if not shutil.which("mvn"):
            raise InfraUnavailable("Maven not found; it fetches the Kafka jars (apt-get install maven)")
        subprocess.run(
            ["mvn", "-q", "-B", "-f", str(KAFKA_POM), "dependency:copy-dependencies"],
            check=True, stdout=subprocess.DEVNULL,
        )
    return str(KAFKA_LIB / "*")


@dataclass
class KafkaBroker:
    base_dir: Path
    port: int = 0
    controller_port: int = 0
    heap: str = "512m"
    process: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.base_dir = Path(self.base_dir).resolve()

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def properties(self) -> Path:
        return self.base_dir / "server.properties"

    def _java(self) -> list[str]:
        java = shutil.which("java")
        if not java:
            raise InfraUnavailable("Java not found (Kafka needs Java 17)")
        log4j = self.base_dir / "log4j2.properties"
        return [java, f"-Xmx{self.heap}", f"-Xms{self.heap}", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                f"-Dlog4j2.configurationFile={log4j}", "-Dlog4j.configurationFile=" + str(log4j),
                "-cp", kafka_classpath()]

    def _write_config(self) -> None:
        logs = self.base_dir / "data"
        self.properties.write_text(
            "\n".join([
                "process.roles=broker,controller",
                "node.id=1",
                f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                f"controller.quorum.bootstrap.servers=127.0.0.1:{self.controller_port}",
                f"log.dirs={logs}",
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "log.flush.interval.messages=1000000",
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "",
            ])
        )
        (self.base_dir / "log4j2.properties").write_text(
            "rootLogger.level=WARN\nrootLogger.appenderRef.f.ref=F\n"
            "appender.f.type=File\nappender.f.name=F\n"
            f"appender.f.fileName={self.base_dir / 'kafka.log'}\n"
            "appender.f.layout.type=PatternLayout\nappender.f.layout.pattern=%d %p %c: %m%n\n"
        )

    def start(self, timeout: float = 90) -> str:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        first_start = not self.properties.exists()
        if not first_start and not self.port:
            self._read_ports()
        if first_start:
            self.port = self.port or free_port()
            self.controller_port = self.controller_port or free_port()
            self._write_config()
            subprocess.run(
                [*self._java(), "kafka.tools.StorageTool", "format", "--standalone",
                 "-t", uuid.uuid4().hex[:22], "-c", str(self.properties)],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
        out = open(self.base_dir / "kafka.out", "ab")
        self.process = subprocess.Popen(
            [*self._java(), "kafka.Kafka", str(self.properties)], stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        (self.base_dir / "kafka.pid").write_text(str(self.process.pid))
        wait_for_port(self.port, timeout, self.process)
        return self.bootstrap

    def _read_ports(self) -> None:
        for line in self.properties.read_text().splitlines():
            if line.startswith("listeners="):
                for part in line.split("=", 1)[1].split(","):
                    name, _, addr = part.partition("://")
                    port = int(addr.rsplit(":", 1)[1])
                    if name == "PLAINTEXT":
                        self.port = port
                    else:
                        self.controller_port = port

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, wait=30)

    def _signal(self, sig: int, wait: float = 10) -> None:
        pid_file = self.base_dir / "kafka.pid"
        pid = self.process.pid if self.process else (int(pid_file.read_text()) if pid_file.exists() else None)
        if pid is None:
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process is not None:
                if self.process.poll() is not None:
                    break
            else:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None
        pid_file.unlink(missing_ok=True)


def _load_broker(base: Path) -> KafkaBroker:
    broker = KafkaBroker(base)
    broker._read_ports()
    return broker


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local PostgreSQL and Kafka for dgplan tests")
    parser.add_argument("action", choices=["up", "down", "kafka-jars"])
    parser.add_argument("--dir", default=str(REPO / ".infra"))
    parser.add_argument("--no-kafka", action="store_true")
    args = parser.parse_args(argv)
    base = Path(args.dir)
    if args.action == "kafka-jars":
        print(kafka_classpath())
        return 0
    if args.action == "down":
        if (base / "kafka" / "server.properties").exists():
            _load_broker(base / "kafka").stop()
        PostgresCluster(base / "pg").stop()
        shutil.rmtree(base, ignore_errors=True)
        return 0
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    pg = PostgresCluster(base / "pg")
    lines = [f"export DGPLAN_TEST_POSTGRES_URL='{pg.start()}'"]
    print(f"PostgreSQL up on 127.0.0.1:{pg.port}", file=sys.stderr)
    if not args.no_kafka:
        started = time.monotonic()
        broker = KafkaBroker(base / "kafka")
        lines.append(f"export DGPLAN_TEST_KAFKA_BOOTSTRAP='{broker.start()}'")
        lines.append(f"export DGPLAN_TEST_KAFKA_DIR='{broker.base_dir}'")
        print(f"Kafka up on {broker.bootstrap} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    (base / "env").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(cli())
