"""The open datasets the public API already offers for an approved plan, as the console lists and
passes them on: each with its format, what it holds and the API call that makes it. Only calls the
gateway answers without a token are here (the ledger's spreadsheets need a signed-in caller)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dataset:
    key: str
    format: str  # what a person downloads: ZIP, XLSX or CSV
    title: str  # gettext message id
    description: str  # gettext message id
    path: str  # the API path, ``{plan_id}`` filled in
    params: tuple[tuple[str, str], ...] = ()
    per_fiscal_year: bool = False  # one file per fiscal year of the plan
    in_page_language: bool = False  # the API writes headers in the language asked for (``lang``)


DATASETS: tuple[Dataset, ...] = (
    Dataset("plan-package", "ZIP",
            "The plan as open data",
            "A Frictionless Data Package: the approved plan's strategies, measures, projects, targets, agency "
            "roles and agencies as CSV files with datapackage.json describing every column.",
            "/api/v1/plans/{plan_id}/export/open-data"),
    Dataset("budget-package", "ZIP",
            "The budget as open data",
            "A Fiscal Data Package: the budget framework per strategy and, for each fiscal year whose screening "
            "results are published, the requested, recommended and approved baht per project and expense category.",
            "/api/v1/budget/open-data/fiscal-data-package"),
    Dataset("scorecard-xlsx", "XLSX",
            "Plan scorecard (workbook)",
            "The scorecard for a fiscal year: the plan, each strategy, each plan target and each project with "
            "its status, reporting and budget execution; a sheet per table, headers in the page's language.",
            "/api/v1/monitoring/plans/{plan_id}/scorecard", (("format", "xlsx"),), per_fiscal_year=True,
            in_page_language=True),
    Dataset("scorecard-csv", "CSV",
            "Plan scorecard (CSV)",
            "The same scorecard as one CSV table (one row per plan, strategy, target and project; column codes).",
            "/api/v1/monitoring/plans/{plan_id}/scorecard", (("format", "csv"),), per_fiscal_year=True),
    Dataset("mid-year-csv", "CSV",
            "Mid-year report (CSV)",
            "The scorecard as of 31 March, the end of the second quarter of the fiscal year.",
            "/api/v1/monitoring/reports/mid-year", (("format", "csv"),), per_fiscal_year=True),
    Dataset("year-end-csv", "CSV",
            "Year-end report (CSV)",
            "The scorecard as of 30 September, the end of the fiscal year.",
            "/api/v1/monitoring/reports/year-end", (("format", "csv"),), per_fiscal_year=True),
    Dataset("budget-by-strategy-csv", "CSV",
            "Budget execution by strategy (CSV)",
            "Framework, allocated, committed and disbursed baht and the execution rate of each strategy, every "
            "fiscal year together.",
            "/api/v1/monitoring/budget-execution", (("group_by", "strategy"), ("format", "csv"))),
    Dataset("budget-by-agency-csv", "CSV",
            "Budget execution by agency (CSV)",
            "Allocated, committed and disbursed baht and the execution rate of each agency.",
            "/api/v1/monitoring/budget-execution", (("group_by", "agency"), ("format", "csv"))),
    Dataset("budget-by-year-csv", "CSV",
            "Budget execution by fiscal year (CSV)",
            "Allocated, committed and disbursed baht and the execution rate of each fiscal year.",
            "/api/v1/monitoring/budget-execution", (("group_by", "fiscal_year"), ("format", "csv"))),
)
BY_KEY = {d.key: d for d in DATASETS}


class NoSuchDownload(LookupError):
    """An unknown dataset, or a fiscal year the plan does not run in."""


def api_call(dataset: Dataset, plan: dict[str, Any], fiscal_year: int | None, lang: str) -> tuple[str, dict[str, Any]]:
    """The API path and query that make ``dataset`` for ``plan``: the plan goes in the path or the
    ``plan_id`` parameter (the monitoring reports take it so), the year only where the set has one."""
    path = dataset.path.format(plan_id=plan["id"])
    params: dict[str, Any] = dict(dataset.params)
    if "{plan_id}" not in dataset.path:
        params["plan_id"] = plan["id"]
    if dataset.per_fiscal_year:
        years = range(plan.get("start_fy") or 0, (plan.get("end_fy") or -1) + 1)
        if fiscal_year not in years:
            raise NoSuchDownload(f"fiscal year {fiscal_year} is not one of the plan's")
        params["fiscal_year"] = fiscal_year
    if dataset.in_page_language:
        params["lang"] = "en" if lang == "en" else "th"
    return path, params


def dataset(key: str) -> Dataset:
    found = BY_KEY.get(key)
    if found is None:
        raise NoSuchDownload(f"there is no dataset '{key}'")
    return found
