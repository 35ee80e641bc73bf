from dgplan_shared.testing.service_fixtures import install_service_fixtures

from budget_ledger.definition import definition

install_service_fixtures(globals(), definition)
