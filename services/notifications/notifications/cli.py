"""The console entry ``dgplan-notifications``: api, relay, consumer, migrate and the delivery daemon."""

from dgplan_shared.cli import entry

from notifications.definition import definition

run = entry(definition)
