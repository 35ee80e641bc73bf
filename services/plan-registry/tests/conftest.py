from dgplan_shared.testing.service_fixtures import install_service_fixtures

from plan_registry.definition import definition

install_service_fixtures(globals(), definition)
