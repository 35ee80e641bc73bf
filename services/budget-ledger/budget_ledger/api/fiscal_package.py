"""The budget as a Fiscal Data Package: ``datapackage.json`` (Data Package v2) and one CSV per
table, zipped.

Fiscal modelling follows Fiscal Data Package v1: every column names its fiscal concept
(``columnType``), the stage columns say which phase they hold (``normalize``), ``extraFields``
declare the phase and the currency (THB) of the denormalised form, and the descriptor gives the
country, the fiscal period and the granularity. The descriptor declares the Data Package v2 profile
in ``$schema`` and no ``profile: fiscal-data-package``: that name stands for the 0.3 JSON Schema
(which requires the ``model`` mapping v1 replaced by ``columnType``s), and naming it makes
validators fetch it over the network.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from budget_ledger.api.fiscal_package_resources import ENGLISH_LABELS, Table, tables
from budget_ledger.domain.open_budget import EXECUTION_STAGES, OpenBudget
from dgplan_contracts.fiscal import fiscal_year_range
from dgplan_contracts.money import money_str

DATA_PACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
BUDGET_TAXONOMY = "https://frictionlessdata.io/taxonomies/fiscal/budgets.json"


@dataclass(frozen=True)
class PackageFile:
    content: bytes
    filename: str


def _csv(table: Table) -> bytes:
    names = [c.name for c in table.columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({n: "" if row.get(n) is None else row[n] for n in names})
    # UTF-8 without a byte-order mark: the descriptor says utf-8, and a BOM would end up in the first header.
    return out.getvalue().encode("utf-8")


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [c.descriptor() for c in table.columns],
        "primaryKey": table.primary_key,
        "extraFields": table.extra_fields,
    }
    if table.foreign_keys:
        schema["foreignKeys"] = table.foreign_keys
    return {
        "name": table.name, "type": "table", "title": table.title, "description": table.description,
        "path": f"{table.name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
    }


def _fiscal_period(budget: OpenBudget) -> dict[str, str] | None:
    years = [y for y in (budget.start_fy, budget.end_fy) if y] or sorted({line.fiscal_year for line in budget.lines})
    if not years:
        return None
    return {"start": fiscal_year_range(min(years))[0].isoformat(), "end": fiscal_year_range(max(years))[1].isoformat()}


def descriptor(budget: OpenBudget, parts: list[Table]) -> dict[str, Any]:
    code = budget.plan_code or budget.plan_id
    plan_total = next((f.amount for f in budget.frameworks if f.level == "plan"), None)
    out: dict[str, Any] = {
        "$schema": DATA_PACKAGE_V2,
        "name": f"{code.lower()}-budget",
        "title": f"{code}: budget frameworks and budget stages per fiscal year",
        "description": (
            "The budget of the plan as the budget ledger holds it: frameworks per strategy and fiscal year, "
            "screening rounds, and per fiscal year the money requested, recommended and approved"
            + (", allocated, committed and disbursed" if set(EXECUTION_STAGES) <= set(budget.stages) else "")
            + " per project, strategy, agency and expense category. Amounts in baht (THB), Buddhist-Era fiscal years "
            "(FY N runs 1 October N-544 to 30 September N-543)."
        ),
        "licenses": [{"name": "OGL-TH", "title": "Open Government Licence - Thailand"}],
        "keywords": ["open budget", "fiscal data package", "digital government", code],
        "countryCode": "TH",
        "granularity": "aggregated",
        "columnTypes": [BUDGET_TAXONOMY, ENGLISH_LABELS],
        "dgplan": {
            "plan_id": budget.plan_id,
            "audience": budget.audience.value,
            "stages": list(budget.stages),
            "plan_framework_baht": money_str(plan_total) if plan_total is not None else None,
            "frameworks_balanced": budget.balanced,
            "start_fy_be": budget.start_fy,
            "end_fy_be": budget.end_fy,
        },
        "resources": [_resource(t) for t in parts],
    }
    period = _fiscal_period(budget)
    if period:
        out["fiscalPeriod"] = period
    return out


def build(budget: OpenBudget) -> PackageFile:
    parts = tables(budget)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(descriptor(budget, parts), ensure_ascii=False, indent=2))
        for table in parts:
            z.writestr(f"{table.name}.csv", _csv(table))
    stem = (budget.plan_code or budget.plan_id).replace('"', "")
    return PackageFile(buffer.getvalue(), f"{stem}-budget-{budget.audience.value}.zip")
