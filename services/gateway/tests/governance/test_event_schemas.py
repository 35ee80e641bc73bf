"""Every event type the engine produces has a valid JSON Schema (published events are checked
against it wherever the tests read the outbox: see conftest.published)."""

import json

import jsonschema
import pytest

from gateway.governance.events import types as ev

from .conftest import SCHEMAS


def test_every_produced_type_has_exactly_one_schema():
    assert {p.name.removesuffix(".json") for p in SCHEMAS.glob("*.json")} == set(ev.PRODUCED)


@pytest.mark.parametrize("event_type", ev.PRODUCED)
def test_schemas_are_valid_and_require_the_contract_fields(event_type):
    schema = json.loads((SCHEMAS / f"{event_type}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    # Workflow events are about an instance; membership events about one member of one body.
    contract = ("body", "subject") if event_type == ev.MEMBERSHIP_CHANGED else ("instance_id",)
    assert set(contract) <= set(schema["required"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({}, schema)
