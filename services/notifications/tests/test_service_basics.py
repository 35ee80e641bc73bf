"""The notifications service answers health, readiness and metrics, and speaks problem+json."""

from dgplan_shared.testing.basic_service_tests import *  # noqa: F401,F403
