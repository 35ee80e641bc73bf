"""The event catalogue is complete and current, and every consumer listens where its events go."""

import subprocess
import sys
from pathlib import Path

from dgplan_shared.events import parse_type, topic_for
from dgplan_shared.registry import installed_services

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gen_event_catalogue import catalogue  # noqa: E402


def test_docs_events_md_is_generated_from_the_current_code():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_event_catalogue.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_consumed_event_has_a_producer_with_a_published_schema():
    orphans = {t: e["consumers"] for t, e in catalogue().items() if e["schema"] is None}
    assert orphans == {}


def test_every_type_is_named_by_the_convention_and_produced_by_its_named_service():
    for event_type, entry in catalogue().items():
        service, _, _, _ = parse_type(event_type)
        assert service == entry["producer"], event_type


def test_each_consumer_subscribes_to_the_topic_of_every_type_it_handles():
    for name, definition in installed_services().items():
        missing = {t for t in definition.handlers.types if topic_for(t) not in definition.subscriptions}
        assert missing == set(), f"{name} handles events from topics it does not subscribe to: {missing}"
