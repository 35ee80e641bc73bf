"""create-topics.sh, run for real against the test broker (with a unique topic prefix): every
topic is created with the partitions, replication and settings it asks for. The broker's own kafka-topics.sh is replaced by a small stand-in speaking the same options
through aiokafka's admin client (the test machine has Kafka's server jars, not its CLI)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from deploy_support import TOPICS_SCRIPT, manifest_topics

pytestmark = pytest.mark.kafka

STAND_IN = textwrap.dedent('''\
    #!{python}
    """kafka-topics.sh --bootstrap-server B (--list | --create --if-not-exists --topic T
    --partitions N --replication-factor R [--config k=v]...)"""
    import argparse, asyncio
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap-server", required=True)
    p.add_argument("--list", action="store_true")
    p.add_argument("--create", action="store_true")
    p.add_argument("--if-not-exists", action="store_true")
    p.add_argument("--topic")
    p.add_argument("--partitions", type=int)
    p.add_argument("--replication-factor", type=int)
    p.add_argument("--config", action="append", default=[])
    a = p.parse_args()
    async def main():
        admin = AIOKafkaAdminClient(bootstrap_servers=a.bootstrap_server)
        await admin.start()
        try:
            if a.list:
                print("\\n".join(sorted(await admin.list_topics())))
                return
            configs = dict(c.split("=", 1) for c in a.config)
            try:
                await admin.create_topics([NewTopic(a.topic, a.partitions, a.replication_factor, topic_configs=configs)])
            except TopicAlreadyExistsError:
                if not a.if_not_exists:
                    raise
        finally:
            await admin.close()
    asyncio.run(main())
''')


async def _delete(bootstrap: str, topics: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        if doomed := [t for t in topics if t in existing]:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()


async def _describe(bootstrap: str, topics: list[str]) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
        partitions = {t["topic"]: len(t["partitions"]) for t in described}
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, t) for t in topics])
        configs = {}
        for response in responses:
            for resource in response.resources:
                _, _, _, name, entries = resource[:5]
                configs[name] = {entry[0]: entry[1] for entry in entries}
        return partitions, configs
    finally:
        await admin.close()


def test_the_script_creates_every_topic_as_asked_and_is_idempotent(kafka_bootstrap, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "kafka-topics.sh"
    stand_in.write_text(STAND_IN.format(python=sys.executable))
    stand_in.chmod(0o755)
    prefix = f"deploy{uuid.uuid4().hex[:8]}-"
    env = {**os.environ, "BOOTSTRAP": kafka_bootstrap, "TOPIC_PREFIX": prefix, "KAFKA_BIN": str(bin_dir),
           "PARTITIONS": "2", "REPLICATION_FACTOR": "1", "MIN_INSYNC_REPLICAS": "1", "EVENT_RETENTION_MS": "604800000"}
    wanted = [prefix + t for t in manifest_topics()]
    try:
        result = subprocess.run(["sh", str(TOPICS_SCRIPT)], env=env, capture_output=True, text=True, timeout=180,
                                check=False)
        assert result.returncode == 0, result.stderr
        assert set(wanted) <= set(result.stdout.split())
        partitions, configs = asyncio.run(_describe(kafka_bootstrap, wanted))
        assert set(partitions.values()) == {2}
        for topic in wanted:
            assert configs[topic]["min.insync.replicas"] == "1"
            assert configs[topic]["retention.ms"] == ("-1" if topic.endswith(".dlq") else "604800000")
    finally:
        asyncio.run(_delete(kafka_bootstrap, wanted))
