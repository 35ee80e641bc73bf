"""The console entry: ``dgplan-monitoring api|relay|consumer|migrate|rebuild-read-models|reevaluate``."""

from dgplan_shared.cli import entry

from monitoring.definition import definition

run = entry(definition)
