"""The topic list that compose and the dev cluster create, and that the operations guide tells
production operators to create, covers every topic the services produce to or consume from."""

from __future__ import annotations

import importlib.util
import re
from importlib.metadata import entry_points
from pathlib import Path

from deploy_support import GUIDE, manifest_topics

EVENT_TYPE = re.compile(r"^dgplan\.(?P<service>[a-z-]+)\.(?P<aggregate>[a-z-]+)\.[a-z-]+\.v\d+$")


def produced_topics() -> dict[str, str]:
    """topic -> event type that needs it, from every JSON Schema the producers publish."""
    topics = {}
    for ep in entry_points(group="dgplan.services"):
        spec = importlib.util.find_spec(ep.module.split(".")[0])
        assert spec is not None and spec.submodule_search_locations
        for location in spec.submodule_search_locations:
            for schema in sorted(Path(location).glob("**/events/schemas/*.json")):
                event_type = schema.name.removesuffix(".json")
                match = EVENT_TYPE.match(event_type)
                assert match, f"{schema}: not named after an event type"
                topics[f"{match['service']}.{match['aggregate']}.events"] = event_type
    return topics


def consumed_topics() -> dict[str, str]:
    """topic -> consuming service, and each consumer's dead-letter topic."""
    from dgplan_shared.registry import installed_services

    topics = {}
    for name, definition in installed_services().items():
        for topic in definition.subscriptions:
            topics[topic] = name
        topics[f"{definition.consumer_group}.dlq"] = name
    return topics


def test_the_topic_list_covers_every_produced_event_type():
    listed = set(manifest_topics())
    missing = {t: e for t, e in produced_topics().items() if t not in listed}
    assert missing == {}, "add these topics to deploy/k8s/components/dev-infra/kafka/create-topics.sh"


def test_the_topic_list_covers_every_subscription_and_dead_letter_topic():
    listed = set(manifest_topics())
    missing = {t: s for t, s in consumed_topics().items() if t not in listed}
    assert missing == {}, "add these topics to deploy/k8s/components/dev-infra/kafka/create-topics.sh"


def test_the_topic_list_follows_the_naming_convention():
    from dgplan_shared.registry import installed_services

    services = "|".join(re.escape(name) for name in installed_services())
    assert services
    for topic in manifest_topics():
        assert re.fullmatch(rf"({services})\.([a-z-]+\.events|dlq)", topic), topic


def test_the_operations_guide_documents_every_topic_for_production():
    guide = GUIDE.read_text(encoding="utf-8")
    undocumented = [t for t in manifest_topics() if f"`{t}`" not in guide]
    assert undocumented == []
    for setting in ("replication factor 3", "min.insync.replicas=2"):
        assert setting in guide


def test_the_schemas_of_every_producer_are_found():
    """Every registered service publishes events, and its schemas are found where produced_topics
    looks (a moved schemas folder would otherwise leave its topics unchecked)."""
    from dgplan_shared.registry import installed_services

    producers = {topic.split(".")[0] for topic in produced_topics()}
    assert producers and producers == set(installed_services())


def test_the_guide_names_exactly_the_consumer_groups_of_each_topic():
    from dgplan_shared.registry import installed_services

    subscribed: dict[str, set[str]] = {}
    for name, definition in installed_services().items():
        for topic in definition.subscriptions:
            subscribed.setdefault(topic, set()).add(definition.consumer_group)
    documented: dict[str, set[str]] = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        row = re.fullmatch(r"\| `([a-z.-]+\.events)` \| [a-z-]+ \| (.*) \|", line)
        if row:
            documented[row[1]] = set(re.findall(r"`([a-z-]+)`", row[2]))
    assert set(documented) == set(manifest_topics()) - {t for t in manifest_topics() if t.endswith(".dlq")}
    for topic in documented:
        assert documented[topic] == subscribed.get(topic, set()), topic
