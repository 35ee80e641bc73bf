"""The console entry: ``dgplan-budget-ledger api|relay|consumer|…``."""

from dgplan_shared.cli import entry

from budget_ledger.definition import definition

run = entry(definition)
