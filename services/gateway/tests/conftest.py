from dgplan_shared.testing.service_fixtures import install_service_fixtures

from gateway.definition import definition

install_service_fixtures(globals(), definition)
