"""The AsyncAPI 3.0 document: current, valid against the official AsyncAPI 3.0 JSON Schema, listing
every event type of docs/events.md as a Kafka message and a webhook message, with every reference
resolving, and served by the gateway at /asyncapi.json."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from dgplan_shared.testing.databases import migrated_database_url
from gateway.definition import definition as gateway_definition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asyncapi_spec import official_schema  # noqa: E402

DOC = ROOT / "docs" / "asyncapi.json"


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(DOC.read_text())


@pytest.fixture(scope="module")
def validator():
    schema = official_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def test_the_document_is_generated_from_the_current_schemas():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_asyncapi.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_document_is_valid_asyncapi_3(document, validator):
    assert document["asyncapi"] == "3.0.0"
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]
    assert errors == []


def test_the_official_schema_catches_a_broken_document(document, validator):
    broken = copy.deepcopy(document)
    broken["operations"]["notifications.sends.webhooks"]["action"] = "publish"  # AsyncAPI 2 wording
    assert list(validator.iter_errors(broken))


def test_every_type_in_the_event_catalogue_is_a_kafka_message_and_a_webhook_message(document):
    listed = set(re.findall(r"^\| `(dgplan\.[^`]+)` \|", (ROOT / "docs" / "events.md").read_text(), re.M))
    assert len(listed) >= 30
    messages = document["components"]["messages"]
    assert listed <= set(messages)
    assert {f"webhook.{t}" for t in listed} <= set(document["channels"]["webhooks"]["messages"])
    on_channels = {t for name, ch in document["channels"].items() if name != "webhooks" for t in ch["messages"]}
    assert listed == on_channels


def test_kafka_channels_carry_their_bindings_and_topics_follow_the_naming_rule(document):
    for name, channel in document["channels"].items():
        if name == "webhooks":
            continue
        assert channel["bindings"]["kafka"]["topic"] == channel["address"] == name
        for event_type in channel["messages"]:
            _, service, aggregate, *_ = event_type.split(".")
            assert name == f"{service}.{aggregate}.events"


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_resolves_inside_the_document(document):
    def resolve(ref: str):
        assert ref.startswith("#/"), ref
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    refs = set(_refs(document))
    assert len(refs) > 100
    for ref in refs:
        resolve(ref)


async def test_the_gateway_serves_the_document(tmp_path):
    url = await migrated_database_url("gateway:migrations", "sqlite", postgres_server=None, directory=tmp_path,
                                      prefix="gateway")
    definition = gateway_definition()
    app = create_service_app(definition, definition.settings_type(database_url=url, bus="memory"),
                             extras={"upstream_apps": {}})
    async with asgi_client(app) as client:
        answer = await client.get("/asyncapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert answer.json() == json.loads(DOC.read_text())
