from dgplan_shared.cli import entry

from gateway.definition import definition

run = entry(definition)

if __name__ == "__main__":
    run()
