"""The console entry: ``dgplan-plan-registry api | relay | consumer | migrate | setup | seed ...``."""

from dgplan_shared.cli import entry

from plan_registry.definition import definition

run = entry(definition)
