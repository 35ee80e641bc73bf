"""Wire models of the edge's admin routes (requests on the kit's ``Strict``: unknown fields
refused, text normalized once)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dgplan_shared.problems import IDEMPOTENCY_KEY_MAX_LENGTH
from dgplan_shared.web.models import Strict
from dgplan_shared.web.pagination import Page

# What the server enforces (428 for a missing or blank key, 422 past 200 characters), in the
# schema: documented, not validated by FastAPI (which would answer 422 where the contract says 428).
IDEMPOTENCY_KEY_SCHEMA = {"minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH, "pattern": r"\S"}


class ClientOut(BaseModel):
    client_id: str
    name: str
    roles: list[str]
    agency: str | None
    active: bool
    version: int
    created_at: str
    updated_at: str


class ClientWithSecret(ClientOut):
    client_secret: str = Field(description="Shown on creation and rotation only; store it safely.")


class ClientPage(Page[ClientOut]):
    pass


class ClientIn(Strict):
    client_id: str = Field(min_length=3, max_length=100, examples=["agency-mof-erp"])
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=5, examples=[["agency"]])
    agency: str | None = Field(default=None, examples=["MOF"])


class ClientPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[str] | None = Field(default=None, min_length=1, max_length=5)
    agency: str | None = None
    active: bool | None = None
