from dgplan_shared.cli import entry

from probe_service.definition import definition

if __name__ == "__main__":
    entry(definition)()
