"""Query and download: the open datasets of an approved plan (what the public API offers without a
token), and one of them fetched from the API for the console to pass on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import Download, GatewayClient
from console.application.public_plan import approved_plan
from console.domain.open_data import DATASETS, Dataset, api_call, dataset
from console.domain.scorecard_view import plan_fiscal_years


@dataclass(frozen=True)
class OpenDataView:
    plan: dict[str, Any]
    datasets: tuple[Dataset, ...]
    fiscal_years: list[int]


@dataclass(frozen=True)
class FetchDataset:
    plan_id: str
    key: str
    fiscal_year: int | None
    lang: str


async def catalogue(plan_id: str | None, gateway: GatewayClient) -> OpenDataView:
    plan = await approved_plan(gateway, plan_id)
    return OpenDataView(plan, DATASETS, plan_fiscal_years(plan))


async def fetch(command: FetchDataset, gateway: GatewayClient) -> Download:
    """Raises NoSuchDownload for a dataset or year that is not offered (before any call is made for it)."""
    chosen = dataset(command.key)
    plan = await approved_plan(gateway, command.plan_id)
    path, params = api_call(chosen, plan, command.fiscal_year, command.lang)
    return await gateway.download(path, params)
