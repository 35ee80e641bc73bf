"""Request bodies of the governance API (validated here; 422 names the offending field)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.governance.api.nul import refuse_nul

NAME = r"^[a-z][a-z0-9_-]{0,63}$"


class Request(BaseModel):
    """Every request body: unknown fields refused, NUL characters refused (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        refuse_nul(data)
        return data


class Bilingual(Request):
    model_config = ConfigDict(extra="forbid")
    th: str = Field(min_length=1, max_length=4000)
    en: str = Field(min_length=1, max_length=4000)


class ObservationIn(Request):
    text: Bilingual
    node_id: str | None = Field(default=None, max_length=64)


class VoteIn(Request):
    choice: str = Field(pattern=NAME, description="one of the current stage's decisions")
    reason: str = Field(min_length=1, max_length=4000)
    observations: list[ObservationIn] = Field(default_factory=list, max_length=50)
    stage: str | None = Field(default=None, pattern=NAME, description="the stage the voter means (409 if moved on)")


class DecisionIn(Request):
    decision: str = Field(pattern=NAME)
    reason: str = Field(min_length=1, max_length=4000)
    observations: list[ObservationIn] = Field(default_factory=list, max_length=50)
    stage: str | None = Field(default=None, pattern=NAME)


class QuorumIn(Request):
    fraction: str | None = Field(default=None, pattern=r"^[1-9][0-9]*/[1-9][0-9]*$")
    count: int | None = Field(default=None, ge=1, le=1000)


class RuleIn(Request):
    quorum: QuorumIn
    majority: Literal["cast", "members"] = "cast"
    casting_vote: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"quorum": self.quorum.model_dump(exclude_none=True), "majority": self.majority,
                "casting_vote": self.casting_vote}


Kind = Literal["committee", "subcommittee", "council", "cabinet", "secretariat"]


class BodyIn(Request):
    code: str = Field(pattern=NAME)
    name: Bilingual
    kind: Kind
    parent_code: str | None = Field(default=None, pattern=NAME)
    rule: RuleIn


class BodyPatch(Request):
    name: Bilingual | None = None
    kind: Kind | None = None
    parent_code: str | None = Field(default=None, pattern=NAME)
    rule: RuleIn | None = None


class MemberIn(Request):
    subject: str = Field(min_length=1, max_length=200)
    role: Literal["chair", "member", "secretary"]


class MemberPatch(Request):
    role: Literal["chair", "member", "secretary"] | None = None
    active: bool | None = None
