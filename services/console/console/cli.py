from dgplan_shared.cli import entry

from console.definition import definition

run = entry(definition)
