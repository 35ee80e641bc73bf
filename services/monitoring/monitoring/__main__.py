from dgplan_shared.cli import entry

from monitoring.definition import definition

run = entry(definition)

if __name__ == "__main__":
    run()
