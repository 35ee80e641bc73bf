"""The console entry point ``dgplan-gateway``: the shared command line over the gateway's definition."""

from dgplan_shared.cli import entry

from gateway.definition import definition

run = entry(definition)
