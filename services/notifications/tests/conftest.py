import sys
from pathlib import Path

from dgplan_shared.testing.service_fixtures import install_service_fixtures

from notifications.definition import definition

# Test helpers (webhook_receiver) import by name under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).parent))

install_service_fixtures(globals(), definition)
