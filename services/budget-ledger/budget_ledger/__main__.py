from dgplan_shared.cli import entry

from budget_ledger.definition import definition

run = entry(definition)

if __name__ == "__main__":
    run()
